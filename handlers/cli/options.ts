import minimist from 'minimist';
import type { Settings } from '../pipeline/pipeline.ts';

/** The pipeline's settings, as the command line and the environment give them, and how often to run. */
export type Options = Settings & {
  /** Seconds, as digits; above 0, reconcile keeps running (see repeat.ts). */
  every: string;
  monitorCmd: string;
};

export class UsageError extends Error {}
export class HelpRequested extends Error {}

/** Each option, its environment fallback and its default: the one table the usage text is built from. */
export const SETTINGS = [
  { key: 'nodesDir', flag: 'nodes-dir', env: 'NODES_DIR', fallback: '/nodes', help: 'one JSON file per live backend' },
  { key: 'template', flag: 'template', env: 'HAPROXY_TEMPLATE', fallback: '/usr/local/etc/haproxy/haproxy.cfg.hbs', help: 'Handlebars template of the whole config' },
  { key: 'config', flag: 'config', env: 'HAPROXY_CONFIG', fallback: '/usr/local/etc/haproxy/haproxy.cfg', help: 'live HAProxy config' },
  { key: 'checkCmd', flag: 'check-cmd', env: 'HAPROXY_CHECK_CMD', fallback: 'haproxy -c -q -f', help: 'validates a candidate config, given as last argument' },
  { key: 'reloadCmd', flag: 'reload-cmd', env: 'HAPROXY_RELOAD_CMD', fallback: 's6-svc -2 /run/service/haproxy', help: 'graceful reload (SIGUSR2 to the master)' },
  { key: 'membersCmd', flag: 'members-cmd', env: 'SERF_MEMBERS_CMD', fallback: 'serf members -format json', help: 'live members, for reconcile' },
  { key: 'role', flag: 'role', env: 'BACKEND_ROLE', fallback: 'backend', help: 'Serf role tag of the members that become servers' },
  { key: 'adminSocket', flag: 'admin-socket', env: 'HAPROXY_ADMIN_SOCKET', fallback: '/run/haproxy/admin.sock', help: "HAProxy's runtime API; 'none' changes HAProxy by reloads only" },
  { key: 'backend', flag: 'backend', env: 'HAPROXY_BACKEND', fallback: 'webapps', help: 'the backend whose servers the members are' },
  { key: 'templateCache', flag: 'template-cache', env: 'HAPROXY_TEMPLATE_CACHE', fallback: '/var/lib/haproxy/template-cache.json', help: 'the compiled template, kept between runs' },
  { key: 'stateFile', flag: 'state-file', env: 'HAPROXY_STATE_FILE', fallback: '/var/lib/haproxy/server-state', help: "the config's server-state-file, written before a reload" },
  { key: 'every', flag: 'every', env: 'RECONCILE_EVERY', fallback: '0', help: 'reconcile only: keep running, again every N seconds and at once on SIGHUP (0: run once)' },
  { key: 'monitorCmd', flag: 'monitor-cmd', env: 'SERF_MONITOR_CMD', fallback: 'serf monitor -log-level=info', help: "reconcile --every only: the agent's log stream; a member change in it starts a run at once ('none': off)" },
  { key: 'drainMs', flag: 'drain-ms', env: 'DRAIN_TIMEOUT_MS', fallback: '2000', help: 'how long a leaving server may finish its requests before they are cut' },
] as const;

export function usage(entry: string): string {
  const lines = SETTINGS.map((s) => `  --${s.flag.padEnd(12)} ${s.help} (env ${s.env}, default '${s.fallback}')`);
  return [
    `usage: ${entry} [options] < members`,
    '',
    ...lines,
    `  --dry-run      print the config that would be written, change nothing (env DRY_RUN=1)`,
    `  --help         this text`,
    '',
  ].join('\n');
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const strings = SETTINGS.map((s) => s.flag);
  const known = new Set<string>([...strings, 'dry-run', 'help', '_']);
  const args = minimist([...argv], {
    string: strings,
    boolean: ['dry-run', 'help'],
    unknown: (arg) => {
      if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    },
  });
  for (const key of Object.keys(args)) {
    if (!known.has(key)) throw new UsageError(`unknown option --${key}`);
  }
  if (args.help) throw new HelpRequested();
  const options: Record<string, string | boolean> = {};
  for (const s of SETTINGS) {
    // An empty variable counts as unset, like `${VAR:-default}` in the run
    // scripts, so the handlers and haproxy's run script agree on each path.
    const value: unknown = args[s.flag] ?? (env[s.env] || undefined) ?? s.fallback;
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${s.flag} needs a non-empty value`);
    options[s.key] = value;
  }
  if (!/^\d{1,7}$/.test(String(options.drainMs))) throw new UsageError(`--drain-ms must be a whole number of milliseconds, got ${JSON.stringify(options.drainMs)}`);
  if (!/^\d{1,6}$/.test(String(options.every))) throw new UsageError(`--every must be a whole number of seconds, got ${JSON.stringify(options.every)}`);
  options.dryRun = Boolean(args['dry-run']) || ['1', 'true', 'yes'].includes(env.DRY_RUN ?? '');
  return options as unknown as Options;
}
