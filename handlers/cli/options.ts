import minimist from 'minimist';
import type { Settings } from '../pipeline/pipeline.ts';
import { SETTINGS } from './settings.ts';

export { SETTINGS } from './settings.ts';

/** The pipeline's settings, as the command line and the environment give them, and how often to run. */
export type Options = Settings & {
  /** Seconds, as digits; above 0, reconcile keeps running (see repeat.ts). */
  every: string;
  monitorCmd: string;
  /** The agent's RPC address, or 'none' (see members/serf-rpc.ts). */
  membersRpc: string;
};

export class UsageError extends Error {}
export class HelpRequested extends Error {}


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
