import type { HaproxyCensus } from '../watch/haproxy-census.ts';
import { describeShape } from '../run/load-shape.ts';
import type { RunResult } from '../run/run-result.ts';
import type { TimeFigure } from '../run/scenario.ts';
import { seconds, summarize } from './summary.ts';

const HEADER = ['Scenario', 'Mode', 'Load', 'Sent', 'Failed', 'connect', 'reset', 'timeout', '5xx', 'other', 'Reloads', 'Times p50 / p95 / max', 'HAProxy processes', 'Memory'];

/** One row per scenario × mode, the key figures only; latest.json has the rest. */
export function resultsTable(results: readonly RunResult[]): string {
  const rows = results.map((r) => {
    const f = r.report?.failures;
    const cells = [
      r.scenario,
      r.mode,
      describeShape(r.shape),
      String(r.report?.sent ?? '–'),
      r.report ? String(r.report.failed) : '–',
      String(f?.connect ?? '–'),
      String(f?.reset ?? '–'),
      String(f?.timeout ?? '–'),
      String(f?.http5xx ?? '–'),
      f ? String(f.http4xx + f.other) : '–',
      r.reloads === null ? '–' : String(r.reloads),
      [...r.times.map(timeCell), ...(r.error ? [`**ERROR**: ${r.error}`] : [])].join('<br>') || '–',
      r.processes ?? (r.census ? censusCell(r.census) : '–'),
      r.memory ?? '–',
    ];
    return cells;
  });
  return markdownTable(HEADER, rows);
}

export function timeCell(figure: TimeFigure): string {
  const s = summarize(figure.samplesMs);
  const missing = figure.missing.length ? ` **missing: ${figure.missing.join(' ')}**` : '';
  if (!s) return `${figure.what}: none${missing}`;
  const values = s.max < 1000 ? `${s.p50} / ${s.p95} / ${s.max} ms` : `${seconds(s.p50)} / ${seconds(s.p95)} / ${seconds(s.max)} s`;
  return `${figure.what}: ${values} (n=${s.n})${missing}`;
}

export function censusCell(census: HaproxyCensus): string {
  const workers = `${census.workers} worker${census.workers === 1 ? '' : 's'}`;
  return census.masters > 0 ? `${workers} + ${census.masters} master` : `${workers}, no master`;
}

/** A GitHub table; a `|` inside a cell is escaped so it cannot split the cell. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}
