import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handOverSocket, runEnv } from '../../../../handlers/cli/hand-over.ts';
import { handOverRefusal } from '../../../../handlers/cli/run-entry.ts';
import { parseOptions } from '../../../../handlers/cli/options.ts';
import { checkRequest } from '../../../../handlers/cli/serve-hand-overs.ts';

test('member events are handed to the default socket, or the one PIPELINE_SOCKET or --pipeline-socket names', () => {
  for (const event of ['member-join', 'member-leave', 'member-failed', 'member-update', 'member-reap']) {
    assert.equal(handOverSocket(event, [], {}), '/run/lb/pipeline.sock');
  }
  assert.equal(handOverSocket('member-join', [], { PIPELINE_SOCKET: '/x/p.sock' }), '/x/p.sock');
  assert.equal(handOverSocket('member-join', ['--nodes-dir', '/n', '--pipeline-socket', '/y.sock'], { PIPELINE_SOCKET: '/x/p.sock' }), '/y.sock');
  assert.equal(handOverSocket('member-join', ['--pipeline-socket=/z.sock'], {}), '/z.sock');
});

test('a reconcile, a render, a dry run, --help and "none" run where they are', () => {
  assert.equal(handOverSocket('reconcile', [], {}), undefined);
  assert.equal(handOverSocket('render', [], {}), undefined);
  assert.equal(handOverSocket('member-join', ['--dry-run'], {}), undefined);
  assert.equal(handOverSocket('member-join', [], { DRY_RUN: '1' }), undefined);
  assert.equal(handOverSocket('member-join', ['--help'], {}), undefined);
  assert.equal(handOverSocket('member-join', ['--pipeline-socket', 'none'], {}), undefined);
  assert.equal(handOverSocket('member-join', [], { PIPELINE_SOCKET: 'none' }), undefined);
});

test('a handed-over run carries the settings variables, DRY_RUN and SERF_EVENT, nothing else', () => {
  const env = { NODES_DIR: '/n', HAPROXY_ADMIN_SOCKET: '/a', SERF_EVENT: 'member-join', SERF_RPC_AUTH: 'secret', HOME: '/root', PATH: '/bin' };
  assert.deepEqual(runEnv(env), { NODES_DIR: '/n', HAPROXY_ADMIN_SOCKET: '/a', SERF_EVENT: 'member-join' });
});

test('a request must be JSON with an event, argv, env of strings and stdin', () => {
  assert.equal(checkRequest('{'), 'request is not JSON: "{"');
  assert.equal(checkRequest('null'), 'request needs an event, argv and stdin');
  assert.equal(checkRequest('{"event":"member-join","argv":[1],"env":{},"stdin":""}'), 'request needs an event, argv and stdin');
  assert.equal(checkRequest('{"event":"member-join","argv":[],"env":{"A":1},"stdin":""}'), 'request env must map names to strings');
  assert.deepEqual(checkRequest('{"event":"member-join","argv":["--x"],"env":{"A":"b"},"stdin":"m"}'), { event: 'member-join', argv: ['--x'], env: { A: 'b' }, stdin: 'm' });
});

test('the warm process takes a run only when it would do exactly what its handler would', () => {
  const own = parseOptions(['--nodes-dir', '/n', '--every', '30', '--monitor-cmd', 'none'], {});
  const request = (event: string, argv: string[], env: Record<string, string> = {}) => ({ event, argv, env, stdin: '' });
  assert.equal(handOverRefusal(request('member-join', ['--nodes-dir', '/n']), own), undefined, 'how often it repeats is not the run');
  assert.equal(handOverRefusal(request('member-join', [], { NODES_DIR: '/n' }), own), undefined);
  assert.equal(handOverRefusal(request('member-join', ['--nodes-dir', '/other']), own), '--nodes-dir differs');
  assert.equal(handOverRefusal(request('member-leave', ['--nodes-dir', '/n', '--drain-ms', '5']), own), '--drain-ms differs');
  assert.equal(handOverRefusal(request('member-join', ['--nodes-dir', '/n'], { DRY_RUN: '1' }), own), 'a dry run');
  assert.equal(handOverRefusal(request('member-join', ['--bogus']), own), 'its options: unknown option --bogus');
  assert.equal(handOverRefusal(request('reconcile', ['--nodes-dir', '/n']), own), '"reconcile" is not a member event');
  assert.equal(handOverRefusal(request('toString', []), own), '"toString" is not a member event');
});
