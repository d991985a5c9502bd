import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpRequested, parseOptions, usage, UsageError } from '../../../../handlers/cli/options.ts';

const DEFAULTS = {
  nodesDir: '/nodes',
  template: '/usr/local/etc/haproxy/haproxy.cfg.hbs',
  config: '/usr/local/etc/haproxy/haproxy.cfg',
  checkCmd: 'haproxy -c -q -f',
  reloadCmd: 's6-svc -2 /run/service/haproxy',
  membersCmd: 'serf members -format json',
  membersRpc: 'none',
  role: 'backend',
  adminSocket: '/run/haproxy/admin.sock',
  backend: 'webapps',
  templateCache: '/var/lib/haproxy/template-cache.json',
  stateFile: '/var/lib/haproxy/server-state',
  drainMs: '2000',
  pipelineSocket: '/run/lb/pipeline.sock',
  every: '0',
  monitorCmd: 'serf monitor -log-level=info',
  dryRun: false,
};

function usageError(argv: string[], message: string, env: NodeJS.ProcessEnv = {}) {
  assert.throws(() => parseOptions(argv, env), (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected UsageError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

test('no options and no env give the image defaults', () => {
  assert.deepEqual(parseOptions([], {}), DEFAULTS);
});

test('every option can come from its environment variable', () => {
  const env = {
    NODES_DIR: '/tmp/n',
    HAPROXY_TEMPLATE: '/tmp/t.hbs',
    HAPROXY_CONFIG: '/tmp/h.cfg',
    HAPROXY_CHECK_CMD: 'true',
    HAPROXY_RELOAD_CMD: 'echo reload',
    SERF_MEMBERS_CMD: 'cat members.json',
    SERF_RPC_ADDR: '127.0.0.1:7374',
    BACKEND_ROLE: 'api',
    HAPROXY_ADMIN_SOCKET: 'none',
    HAPROXY_BACKEND: 'api',
    HAPROXY_TEMPLATE_CACHE: '/tmp/cache.json',
    HAPROXY_STATE_FILE: '/tmp/state',
    DRAIN_TIMEOUT_MS: '500',
    PIPELINE_SOCKET: '/tmp/p.sock',
    RECONCILE_EVERY: '30',
    SERF_MONITOR_CMD: 'none',
    DRY_RUN: '1',
  };
  assert.deepEqual(parseOptions([], env), {
    nodesDir: '/tmp/n',
    template: '/tmp/t.hbs',
    config: '/tmp/h.cfg',
    checkCmd: 'true',
    reloadCmd: 'echo reload',
    membersCmd: 'cat members.json',
    membersRpc: '127.0.0.1:7374',
    role: 'api',
    adminSocket: 'none',
    backend: 'api',
    templateCache: '/tmp/cache.json',
    stateFile: '/tmp/state',
    drainMs: '500',
    pipelineSocket: '/tmp/p.sock',
    every: '30',
    monitorCmd: 'none',
    dryRun: true,
  });
});

test('a command-line option wins over its environment variable', () => {
  const options = parseOptions(['--nodes-dir', '/cli', '--role=web', '--check-cmd', 'haproxy -c -f'], { NODES_DIR: '/env', BACKEND_ROLE: 'api' });
  assert.equal(options.nodesDir, '/cli');
  assert.equal(options.role, 'web');
  assert.equal(options.checkCmd, 'haproxy -c -f');
});

for (const value of ['1', 'true', 'yes']) {
  test(`DRY_RUN=${value} turns dry run on`, () => {
    assert.equal(parseOptions([], { DRY_RUN: value }).dryRun, true);
  });
}

for (const value of ['', '0', 'false', 'no']) {
  test(`DRY_RUN=${JSON.stringify(value)} leaves dry run off`, () => {
    assert.equal(parseOptions([], { DRY_RUN: value }).dryRun, false);
  });
}

test('--dry-run turns dry run on', () => {
  assert.equal(parseOptions(['--dry-run'], {}).dryRun, true);
});

test('--help is reported as HelpRequested, also among other options', () => {
  assert.throws(() => parseOptions(['--help'], {}), HelpRequested);
  assert.throws(() => parseOptions(['--nodes-dir', '/x', '--help'], {}), HelpRequested);
});

test('an unknown long option is a usage error', () => {
  usageError(['--nodes-dri', '/x'], 'unknown option --nodes-dri');
});

test('an unknown short option is a usage error', () => {
  usageError(['-h'], 'unknown option -h');
});

test('a negated unknown option is a usage error', () => {
  usageError(['--no-such'], 'unknown option --no-such');
});

test('a stray argument is a usage error', () => {
  usageError(['members.txt'], 'unexpected argument "members.txt"');
});

test('an option without its value is a usage error', () => {
  usageError(['--nodes-dir'], '--nodes-dir needs a non-empty value');
});

test('an option given twice is a usage error', () => {
  usageError(['--role', 'a', '--role', 'b'], '--role needs a non-empty value');
});

test('an empty environment variable counts as unset, like ${VAR:-default} in the run scripts', () => {
  assert.deepEqual(parseOptions([], { NODES_DIR: '', HAPROXY_CONFIG: '', BACKEND_ROLE: '' }), DEFAULTS);
});

test('a drain time that is not a whole number of milliseconds is a usage error', () => {
  usageError(['--drain-ms', '2s'], '--drain-ms must be a whole number of milliseconds, got "2s"');
});

test('usage lists every option with its env variable and default', () => {
  const text = usage('member-join');
  assert.match(text, /^usage: member-join \[options\] < members\n/);
  for (const flag of ['nodes-dir', 'template', 'config', 'check-cmd', 'reload-cmd', 'members-cmd', 'role', 'admin-socket', 'backend', 'template-cache', 'state-file', 'drain-ms', 'dry-run', 'help']) {
    assert.match(text, new RegExp(`^  --${flag} `, 'm'));
  }
  assert.match(text, /--nodes-dir +one JSON file per live backend \(env NODES_DIR, default '\/nodes'\)/);
  assert.ok(text.endsWith('\n'));
});
