import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpRequested, parseSettings, usage, UsageError } from '../../../../handlers/cli/settings.ts';

const DEFAULTS = {
  nodesDir: '/nodes',
  template: '/usr/local/etc/haproxy/haproxy.cfg.hbs',
  config: '/usr/local/etc/haproxy/haproxy.cfg',
  checkCmd: 'haproxy -c -q -f',
  reloadCmd: 's6-svc -2 /run/service/haproxy',
  membersCmd: 'serf members -format json',
  role: 'backend',
  reloadStrategy: 'seamless',
  backend: 'webapps',
  stateFile: '/var/lib/haproxy/server-state',
  drainMs: 2000,
  engineSocket: '/run/lb/engine.sock',
  dryRun: false,
};

function usageError(argv: string[], message: string, env: NodeJS.ProcessEnv = {}) {
  assert.throws(() => parseSettings(argv, env), (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected UsageError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

test('no options and no env: the defaults, and the optional settings absent', () => {
  assert.deepEqual(parseSettings([], {}), DEFAULTS);
});

test('every setting can come from its environment variable, numbers as numbers', () => {
  const env = {
    NODES_DIR: '/tmp/n',
    HAPROXY_TEMPLATE: '/tmp/t.hbs',
    HAPROXY_CONFIG: '/tmp/h.cfg',
    HAPROXY_CHECK_CMD: 'true',
    HAPROXY_RELOAD_CMD: 'echo reload',
    SERF_MEMBERS_CMD: 'cat members.json',
    SERF_RPC_ADDR: '127.0.0.1:7374',
    BACKEND_ROLE: 'api',
    HAPROXY_ADMIN_SOCKET: '/tmp/admin.sock',
    RELOAD_STRATEGY: 'restart',
    LB_DEFAULT_SERVICE: 'api',
    HAPROXY_STATE_FILE: '/tmp/state',
    DRAIN_TIMEOUT_MS: '500',
    ENGINE_SOCKET: '/tmp/e.sock',
    SERF_MONITOR_CMD: 'serf monitor',
    DRY_RUN: '1',
  };
  assert.deepEqual(parseSettings([], env), {
    nodesDir: '/tmp/n',
    template: '/tmp/t.hbs',
    config: '/tmp/h.cfg',
    checkCmd: 'true',
    reloadCmd: 'echo reload',
    membersCmd: 'cat members.json',
    membersRpc: '127.0.0.1:7374',
    role: 'api',
    adminSocket: '/tmp/admin.sock',
    reloadStrategy: 'restart',
    backend: 'api',
    stateFile: '/tmp/state',
    drainMs: 500,
    engineSocket: '/tmp/e.sock',
    monitorCmd: 'serf monitor',
    dryRun: true,
  });
});

test('a command-line option wins over its environment variable', () => {
  const settings = parseSettings(['--nodes-dir', '/cli', '--role=web', '--check-cmd', 'haproxy -c -f', '--interval', '5'], { NODES_DIR: '/env', BACKEND_ROLE: 'api' });
  assert.equal(settings.nodesDir, '/cli');
  assert.equal(settings.role, 'web');
  assert.equal(settings.checkCmd, 'haproxy -c -f');
  assert.equal(settings.interval, 5);
});

test("the interval comes from its flag alone: a reconcile run by hand where RECONCILE_INTERVAL is set (the ha image) stays one pass", () => {
  assert.equal(parseSettings([], { RECONCILE_INTERVAL: '30' }).interval, undefined);
});

for (const value of ['1', 'true', 'yes']) {
  test(`DRY_RUN=${value} turns dry run on`, () => {
    assert.equal(parseSettings([], { DRY_RUN: value }).dryRun, true);
  });
}

for (const value of ['', '0', 'false', 'no']) {
  test(`DRY_RUN=${JSON.stringify(value)} leaves dry run off`, () => {
    assert.equal(parseSettings([], { DRY_RUN: value }).dryRun, false);
  });
}

test('--dry-run turns dry run on', () => {
  assert.equal(parseSettings(['--dry-run'], {}).dryRun, true);
});

test('--help is reported as HelpRequested, also among other options', () => {
  assert.throws(() => parseSettings(['--help'], {}), HelpRequested);
  assert.throws(() => parseSettings(['--nodes-dir', '/x', '--help'], {}), HelpRequested);
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
  usageError(['--nodes-dir'], '--nodes-dir needs one non-empty value');
});

test('an option given twice is a usage error', () => {
  usageError(['--role', 'a', '--role', 'b'], '--role needs one non-empty value');
});

test('an empty environment variable counts as unset, like ${VAR:-default} in the run scripts', () => {
  assert.deepEqual(parseSettings([], { NODES_DIR: '', HAPROXY_CONFIG: '', BACKEND_ROLE: '', HAPROXY_ADMIN_SOCKET: '' }), DEFAULTS);
});

test('a number that is not a whole number is a usage error naming the option', () => {
  usageError(['--drain-ms', '2s'], '--drain-ms must be a whole number, got "2s"');
  usageError(['--interval=1m'], '--interval must be a whole number, got "1m"');
});

test('a reload strategy is seamless or restart', () => {
  usageError(['--reload-strategy', 'graceful'], '--reload-strategy must be seamless or restart, got "graceful"');
});

test('usage lists every option with its env variable and default', () => {
  const text = usage('reconcile');
  assert.match(text, /^usage: reconcile \[options\]\n/);
  for (const flag of ['nodes-dir', 'template', 'config', 'check-cmd', 'reload-cmd', 'members-cmd', 'members-rpc', 'role', 'admin-socket', 'reload-strategy', 'default-service', 'state-file', 'drain-ms', 'engine-socket', 'interval', 'monitor-cmd', 'dry-run', 'help']) {
    assert.match(text, new RegExp(`^  --${flag} `, 'm'));
  }
  assert.match(text, /--nodes-dir +one JSON file per live backend \(env NODES_DIR, default '\/nodes'\)/);
  assert.match(text, /--admin-socket +HAProxy's runtime API \(unset: reloads only\) \(env HAPROXY_ADMIN_SOCKET\)\n/);
  assert.ok(text.endsWith('\n'));
});
