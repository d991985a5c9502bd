import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argument, configSkeleton, serverLines } from '../../../../handlers/haproxy/server-lines.ts';

const CONFIG = `global
    server-state-file /var/lib/haproxy/server-state

backend other
    server elsewhere 10.0.0.9:80

backend webapps
    balance roundrobin
    default-server check inter 1s rise 1
    server web1 10.0.0.5:3000 weight 1 cookie web1
    server v6 [fd00::2]:3001 weight 7 cookie v6

listen stats
    bind :1936
`;

test("a backend's servers carry its default-server arguments first, then their own", () => {
  const lines = serverLines(CONFIG, 'webapps');
  assert.deepEqual([...lines.keys()], ['web1', 'v6']);
  assert.deepEqual(lines.get('web1'), { name: 'web1', hostport: '10.0.0.5:3000', args: ['check', 'inter', '1s', 'rise', '1', 'weight', '1', 'cookie', 'web1'] });
  assert.equal(lines.get('v6')?.hostport, '[fd00::2]:3001');
  assert.equal(argument(lines.get('v6')!, 'weight'), '7');
});

test("another backend's servers and a global server-state-file are not the backend's servers", () => {
  assert.deepEqual([...serverLines(CONFIG, 'other').keys()], ['elsewhere']);
  assert.deepEqual([...serverLines(CONFIG, 'missing').keys()], []);
});

test('the skeleton is the config without its server lines, so two pools of one template share it', () => {
  const other = CONFIG.replace('    server web1 10.0.0.5:3000 weight 1 cookie web1\n', '');
  assert.equal(configSkeleton(CONFIG), configSkeleton(other));
  assert.match(configSkeleton(CONFIG), /server-state-file/);
  assert.notEqual(configSkeleton(CONFIG), configSkeleton(CONFIG.replace('inter 1s', 'inter 2s')));
});
