import { parseArgs } from 'node:util';

export const SCENARIO_NAMES = ['scale-up', 'scale-down', 'crash', 'reload-storm', 'many-backends', 'scale-50', 'https', 'services'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/**
 * How the ha container follows membership: ours (Serf, the runtime API,
 * master-worker reloads), the lab's (Serf, a `-sf` reload per change), or
 * HAProxy's own DNS discovery (`server-template`, no Serf).
 */
export const MODES = ['seamless', 'restart', 'dns'] as const;
export type Mode = (typeof MODES)[number];

export type Connection = 'keep-alive' | 'new';

export interface BenchOptions {
  scenarios: ScenarioName[];
  modes: Mode[];
  /** Webapps started at once in many-backends. */
  backends: number;
  /** The backends scale-50 grows to from 2, and shrinks back from. */
  scaleTo: number;
  /** Requests per second of the steady load. */
  rate: number;
  connections: number;
  /** Overrides every scenario's own connection shape when set. */
  connection: Connection | undefined;
  outDir: string;
}

export const USAGE = `usage: node scripts/run-ts.mjs bench/cluster/main.ts [options]
  --only NAME[,NAME]     scenarios to run: ${SCENARIO_NAMES.join(', ')} (default: all)
  --modes MODE[,MODE]    ${MODES.join(', ')} (default: all three, each on a fresh cluster)
                           seamless: ours, Serf + HAProxy's runtime API (RELOAD_STRATEGY=seamless)
                           restart:  the lab's, Serf + a haproxy -sf reload per change
                                     (RELOAD_STRATEGY=restart: the runtime API left alone)
                           dns:      HAProxy alone, server-template on Docker's DNS,
                                     our template's settings, timeout resolve 1s
  --backends N           webapps started at once in many-backends (default 30, at least 1)
  --scale-to N           scale-50 grows 2 → N → 2 (default 50, 3 to 60; e.g. 10 for a smoke run)
  --rate N               requests per second (default 400)
  --connections N        most connections open at once (default 40)
  --connection SHAPE     keep-alive or new, for every scenario (default: each scenario's own)
  --out DIR              where results go (default bench/results)
`;

export class OptionsError extends Error {}

/** Parses argv (without node and the script); throws OptionsError naming the option and what came. */
export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        only: { type: 'string', multiple: true },
        modes: { type: 'string', multiple: true },
        backends: { type: 'string' },
        'scale-to': { type: 'string' },
        rate: { type: 'string' },
        connections: { type: 'string' },
        connection: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new OptionsError((cause as Error).message, { cause });
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const options: BenchOptions = {
    scenarios: listOf('--only', values.only, SCENARIO_NAMES),
    modes: listOf('--modes', values.modes, MODES),
    backends: positiveInteger('--backends', values.backends, 30),
    scaleTo: scaleTo(values['scale-to']),
    rate: positiveInteger('--rate', values.rate, 400),
    connections: positiveInteger('--connections', values.connections, 40),
    connection: oneOf('--connection', values.connection, ['keep-alive', 'new'] as const),
    outDir: values.out ?? 'bench/results',
  };
  // many-backends runs one webapp beside the N it starts; the dns mode has DNS_DISCOVERY.slots (60) for all.
  if (options.modes.includes('dns') && options.scenarios.includes('many-backends') && options.backends > 59) {
    throw new OptionsError(`Expected --backends to be at most 59 with the dns mode (60 server slots), got \`${options.backends}\``);
  }
  return options;
}

/** Comma-separated or repeated values, each from `allowed`; all of `allowed`, in its order, when absent. */
function listOf<T extends string>(flag: string, given: string[] | undefined, allowed: readonly T[]): T[] {
  if (given === undefined) return [...allowed];
  const names = given.flatMap((g) => g.split(',')).map((n) => n.trim()).filter(Boolean);
  for (const name of names) oneOf(flag, name, allowed);
  return allowed.filter((a) => names.includes(a));
}

function oneOf<T extends string>(flag: string, given: string | undefined, allowed: readonly T[]): T | undefined {
  if (given === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(given)) throw new OptionsError(`Expected ${flag} to be one of ${allowed.join(', ')}, got \`${given}\``);
  return given as T;
}

function positiveInteger(flag: string, given: string | undefined, fallback: number): number {
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) throw new OptionsError(`Expected ${flag} to be a positive integer, got \`${given}\``);
  return n;
}

/** The dns mode has 60 slots (DNS_DISCOVERY), and 2 stay: more than 60 or fewer than 3 measures nothing. */
function scaleTo(given: string | undefined): number {
  const n = positiveInteger('--scale-to', given, 50);
  if (n < 3 || n > 60) throw new OptionsError(`Expected --scale-to to be from 3 to 60, got \`${given}\``);
  return n;
}
