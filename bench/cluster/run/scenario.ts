import type { LoadReport } from '../../../harness/load/load-generator.ts';
import type { BenchRun } from './bench-run.ts';
import type { HaproxyCensus } from '../watch/haproxy-census.ts';
import type { Connection, Mode, ScenarioName } from './options.ts';

/** One kind of time a scenario measures, one sample per backend (or per run). */
export interface TimeFigure {
  id: string;
  /** What the time runs from and to, for the table. */
  what: string;
  samplesMs: number[];
  /** Backends that never got there within the scenario's wait. */
  missing: string[];
}

export interface ScenarioFigures {
  report: LoadReport;
  times: TimeFigure[];
  /** HAProxy's processes at the moment the scenario cares about (after the storm), if any. */
  census?: HaproxyCensus;
  /** Table cells the scenario fills itself. */
  processes?: string;
  memory?: string;
  notes: string[];
  /** Everything else it measured, for latest.json. */
  raw: Record<string, unknown>;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  /** The load's connection shape, the same in both modes. */
  connection: Connection;
  /** The modes it means something in, when not all; `why` is printed for the others. */
  onlyIn?: { modes: readonly Mode[]; why: string };
  run(bench: BenchRun): Promise<ScenarioFigures>;
}

/** Backends named prefix1..prefixN, zero-padded so they sort in order. */
export function backendNames(prefix: string, from: number, to: number): string[] {
  const width = String(to).length;
  const names: string[] = [];
  for (let i = from; i <= to; i++) names.push(`${prefix}${String(i).padStart(width, '0')}`);
  return names;
}

export async function requireLoadReport(report: Promise<LoadReport | undefined>): Promise<LoadReport> {
  const done = await report;
  if (!done) throw new Error('Expected the scenario to have started its load before stopping it');
  return done;
}

/** A time per backend, from a per-backend record; null is a backend that never got there. */
export function backendFigure<T>(id: string, what: string, perBackend: Record<string, T>, ms: (record: T) => number | null): TimeFigure {
  const entries = Object.entries(perBackend).map(([name, record]) => [name, ms(record)] as const);
  return {
    id,
    what,
    samplesMs: entries.map(([, v]) => v).filter((v): v is number => v !== null),
    missing: entries.filter(([, v]) => v === null).map(([name]) => name),
  };
}
