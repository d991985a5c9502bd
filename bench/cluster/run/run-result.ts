import type { LoadReport } from '../../../harness/load/load-generator.ts';
import type { HaproxyCensus } from '../watch/haproxy-census.ts';
import type { EnginePass } from '../ha-log/engine-passes.ts';
import type { LoadShape } from './load-shape.ts';
import type { Mode, ScenarioName } from './options.ts';
import type { TimeFigure } from './scenario.ts';
import type { TimelineEvent } from './timeline.ts';

/** Everything one scenario in one mode measured; latest.json holds a list of these. */
export interface RunResult {
  scenario: ScenarioName;
  title: string;
  mode: Mode;
  shape: LoadShape;
  /** ISO time the load started; every `atMs` counts from it. */
  loadStartedAt: string | null;
  wallMs: number;
  report: LoadReport | null;
  times: TimeFigure[];
  /** The figure the scenario cares about (after the storm), else HAProxy at the end of the run. */
  census: HaproxyCensus | null;
  processes: string | null;
  memory: string | null;
  notes: string[];
  events: TimelineEvent[];
  /** Handler runs, `atMs` being when each ended, relative to the load start. */
  enginePasses: (EnginePass & { atMs: number })[];
  /** Handler runs that reloaded HAProxy (`reload=yes`) since the load started; null when not known. */
  reloads: number | null;
  raw: Record<string, unknown>;
  error: string | null;
}
