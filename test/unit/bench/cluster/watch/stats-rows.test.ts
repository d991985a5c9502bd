import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostOf, serverRows } from '../../../../../bench/cluster/watch/stats-rows.ts';

const CSV = [
  '# pxname,svname,status,weight,addr,',
  'http,FRONTEND,OPEN,,,',
  'webapps,web1,UP,1,172.18.0.3:3000,',
  'webapps,web2,MAINT (resolution),1,,',
  'webapps,w3,DOWN 1/2,1,[fd00::3]:3000,',
  'webapps,BACKEND,UP,2,,',
  'stats,FRONTEND,OPEN,,,',
].join('\n');

test('the server rows of the webapps backend, with address and status', () => {
  assert.deepEqual(serverRows(CSV), [
    { server: 'web1', address: '172.18.0.3:3000', status: 'UP' },
    { server: 'web2', address: '', status: 'MAINT (resolution)' },
    { server: 'w3', address: '[fd00::3]:3000', status: 'DOWN 1/2' },
  ]);
});

test('a CSV without the addr column is refused in one line', () => {
  assert.throws(() => serverRows('# pxname,svname,status\nwebapps,w1,UP'), /^Error: Expected HAProxy's stats CSV with pxname, svname, status and addr columns, got `# pxname,svname,status`$/);
});

test('the host of an address, IPv4 or bracketed IPv6', () => {
  assert.deepEqual(['172.18.0.3:3000', '[fd00::3]:3000', ''].map(hostOf), ['172.18.0.3', 'fd00::3', '']);
});
