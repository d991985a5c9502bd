import minimist from 'minimist';
import type { LineSink } from '../os/stderr-lines.ts';

/** Everything a run reads from its command line and environment, parsed once. */
export interface Settings {
  nodesDir: string;
  template: string;
  config: string;
  checkCmd: string;
  reloadCmd: string;
  membersCmd: string;
  /** The agent's RPC (host:port); absent: the members come from membersCmd. */
  membersRpc?: string;
  role: string;
  /** HAProxy's runtime API; absent: HAProxy changes by reloads only. */
  adminSocket?: string;
  /** `restart`: the lab's way, a reload for every change, the runtime API left alone. */
  reloadStrategy: 'seamless' | 'restart';
  backend: string;
  stateFile: string;
  drainMs: number;
  /** Where the engine takes member events' wake-ups (root only). */
  engineSocket: string;
  /** Seconds; present: reconcile keeps running as the engine, again at this interval. */
  interval?: number;
  /** The agent's log stream the engine watches for member changes; absent: not watched. */
  monitorCmd?: string;
  dryRun: boolean;
}

type Key = Exclude<keyof Settings, 'dryRun'>;
type Kind = 'text' | 'count' | 'strategy';

/** The one table of settings: flag, environment variable (none: the flag only), default (none: absent), what it is. */
export const SETTINGS: { key: Key; flag: string; env?: string; fallback?: string; kind: Kind; help: string }[] = [
  { key: 'nodesDir', flag: 'nodes-dir', env: 'NODES_DIR', fallback: '/nodes', kind: 'text', help: 'one JSON file per live backend' },
  { key: 'template', flag: 'template', env: 'HAPROXY_TEMPLATE', fallback: '/usr/local/etc/haproxy/haproxy.cfg.hbs', kind: 'text', help: 'Handlebars template of the whole config' },
  { key: 'config', flag: 'config', env: 'HAPROXY_CONFIG', fallback: '/usr/local/etc/haproxy/haproxy.cfg', kind: 'text', help: 'live HAProxy config' },
  { key: 'checkCmd', flag: 'check-cmd', env: 'HAPROXY_CHECK_CMD', fallback: 'haproxy -c -q -f', kind: 'text', help: 'validates a candidate config, given as last argument' },
  { key: 'reloadCmd', flag: 'reload-cmd', env: 'HAPROXY_RELOAD_CMD', fallback: 's6-svc -2 /run/service/haproxy', kind: 'text', help: 'graceful reload (SIGUSR2 to the master)' },
  { key: 'membersCmd', flag: 'members-cmd', env: 'SERF_MEMBERS_CMD', fallback: 'serf members -format json', kind: 'text', help: 'live members, when no --members-rpc is given' },
  { key: 'membersRpc', flag: 'members-rpc', env: 'SERF_RPC_ADDR', kind: 'text', help: "the agent's RPC, host:port (token in SERF_RPC_AUTH): members read over it" },
  { key: 'role', flag: 'role', env: 'BACKEND_ROLE', fallback: 'backend', kind: 'text', help: 'Serf role tag of the members that become servers' },
  { key: 'adminSocket', flag: 'admin-socket', env: 'HAPROXY_ADMIN_SOCKET', kind: 'text', help: "HAProxy's runtime API (unset: reloads only)" },
  { key: 'reloadStrategy', flag: 'reload-strategy', env: 'RELOAD_STRATEGY', fallback: 'seamless', kind: 'strategy', help: 'seamless, or restart: the lab\'s reload per change' },
  { key: 'backend', flag: 'default-service', env: 'LB_DEFAULT_SERVICE', fallback: 'webapps', kind: 'text', help: 'the service a request no route matches goes to (none: a 404)' },
  { key: 'stateFile', flag: 'state-file', env: 'HAPROXY_STATE_FILE', fallback: '/var/lib/haproxy/server-state', kind: 'text', help: "the config's server-state-file, written before a reload" },
  { key: 'drainMs', flag: 'drain-ms', env: 'DRAIN_TIMEOUT_MS', fallback: '2000', kind: 'count', help: 'how long a leaving server may finish its requests' },
  { key: 'engineSocket', flag: 'engine-socket', env: 'ENGINE_SOCKET', fallback: '/run/lb/engine.sock', kind: 'text', help: 'where member-event handlers wake the engine' },
  // No variable: the ha image's environment holds RECONCILE_INTERVAL for its
  // engine's run script, and a reconcile run there by hand must stay one pass.
  { key: 'interval', flag: 'interval', kind: 'count', help: 'reconcile only: keep running as the engine, again every N seconds (the ha image: RECONCILE_INTERVAL)' },
  { key: 'monitorCmd', flag: 'monitor-cmd', env: 'SERF_MONITOR_CMD', kind: 'text', help: "the engine only: the agent's log stream, watched for member changes" },
];

export class UsageError extends Error {}
export class HelpRequested extends Error {}

export function usage(entry: string): string {
  const lines = SETTINGS.map((s) => {
    const from = [s.env && `env ${s.env}`, s.fallback !== undefined && `default '${s.fallback}'`].filter(Boolean).join(', ');
    return `  --${s.flag.padEnd(16)} ${s.help}${from ? ` (${from})` : ''}`;
  });
  return [`usage: ${entry} [options]`, '', ...lines, `  --dry-run          print the config that would be written, change nothing (env DRY_RUN=1)`, `  --help             this text`, ''].join('\n');
}

function valueOf(setting: (typeof SETTINGS)[number], text: string): string | number {
  if (setting.kind === 'count') {
    if (!/^\d{1,7}$/.test(text)) throw new UsageError(`--${setting.flag} must be a whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  }
  if (setting.kind === 'strategy' && text !== 'seamless' && text !== 'restart') {
    throw new UsageError(`--${setting.flag} must be seamless or restart, got ${JSON.stringify(text)}`);
  }
  return text;
}

/** Command line first, then the environment (an empty variable counts as unset, like `${VAR:-default}`), then the default. */
export function parseSettings(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  const flags = SETTINGS.map((s) => s.flag);
  const args = minimist([...argv], {
    string: flags,
    boolean: ['dry-run', 'help'],
    unknown: (arg) => {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${JSON.stringify(arg)}`);
    },
  });
  const known = new Set([...flags, 'dry-run', 'help', '_']);
  const stray = Object.keys(args).find((key) => !known.has(key));
  if (stray !== undefined) throw new UsageError(`unknown option --${stray}`);
  if (args.help) throw new HelpRequested();
  const settings: Record<string, unknown> = { dryRun: Boolean(args['dry-run']) || ['1', 'true', 'yes'].includes(env.DRY_RUN ?? '') };
  for (const setting of SETTINGS) {
    const given: unknown = args[setting.flag];
    if (given !== undefined && (typeof given !== 'string' || given === '')) throw new UsageError(`--${setting.flag} needs one non-empty value`);
    const text = given ?? (setting.env && env[setting.env] ? env[setting.env] : undefined) ?? setting.fallback;
    if (text !== undefined) settings[setting.key] = valueOf(setting, text);
  }
  return settings as unknown as Settings;
}

/** The settings, or the exit code after saying why not: 2 for --help (usage on stdout) and for misuse (reason and usage on stderr). */
export function settingsOrExit(entry: string, argv: readonly string[], env: NodeJS.ProcessEnv, out: { stdout: LineSink; stderr: LineSink }): Settings | number {
  try {
    return parseSettings(argv, env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      out.stdout.write(usage(entry));
      return 2;
    }
    if (error instanceof UsageError) {
      out.stderr.write(`${entry}: ${error.message}\n${usage(entry)}`);
      return 2;
    }
    throw error;
  }
}
