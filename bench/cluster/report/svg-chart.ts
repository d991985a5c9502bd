// A hand-written SVG: requests per second (ok) and failures over time, one
// panel per mode on a shared time axis, with what the bench did drawn as
// labelled vertical lines and every handler-triggered reload as a tick.
import type { RunResult } from '../run/run-result.ts';
import type { EventKind, TimelineEvent } from '../run/timeline.ts';

const WIDTH = 960;
const PANEL_HEIGHT = 290;
const FAIL_STRIP = 44;
const MARGIN = { left: 56, right: 16, top: 64, bottom: 34 };
const HEADER = 58;

const COLORS: Record<EventKind | 'ok' | 'failed' | 'rate', string> = {
  ok: '#2a7d2a',
  failed: '#d62728',
  rate: '#999999',
  run: '#1f77b4',
  stop: '#8c564b',
  kill: '#d62728',
  storm: '#ff7f0e',
  reload: '#ff7f0e',
};

const MODE_TITLES: Record<RunResult['mode'], string> = {
  seamless: "seamless — this project (Serf, HAProxy's runtime API)",
  restart: "restart — the lab's way (Serf, haproxy -D -sf per change)",
  dns: "dns — HAProxy's own discovery (server-template, Docker's DNS, resolve 1 s)",
};

export function renderChart(title: string, runs: readonly RunResult[]): string {
  const seconds = Math.max(10, ...runs.map((r) => plotted(r).length));
  const height = HEADER + runs.length * PANEL_HEIGHT;
  const panels = runs.map((run, i) => panel(run, HEADER + i * PANEL_HEIGHT, seconds));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`,
    legend(MARGIN.left, 38),
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

/** Whole seconds only: the last bucket is cut short by the load's stop and would dip for no reason. */
function plotted(run: RunResult): { second: number; ok: number; failed: number }[] {
  return (run.report?.perSecond ?? []).slice(0, -1);
}

function panel(run: RunResult, top: number, seconds: number): string {
  const buckets = plotted(run);
  const plotTop = top + MARGIN.top - 30;
  // Failures get a strip of their own under the ok line, on their own scale:
  // seven failures among 400 a second would be invisible on a shared one.
  const stripBottom = top + PANEL_HEIGHT - MARGIN.bottom;
  const stripTop = stripBottom - FAIL_STRIP;
  const plotBottom = stripTop - 8;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const yMax = niceCeiling(Math.max(run.shape.rate * 1.25, ...buckets.map((b) => b.ok)));
  const failMax = Math.max(1, ...buckets.map((b) => b.failed));
  const x = (s: number): number => MARGIN.left + (s / seconds) * plotWidth;
  const y = (v: number): number => plotBottom - (v / yMax) * (plotBottom - plotTop);
  const out: string[] = [];

  const failed = run.report?.failed ?? 0;
  const summary = run.report ? `${run.report.sent} sent, ${failed} failed` : 'no load report';
  out.push(`<text x="${MARGIN.left}" y="${plotTop - 8}" font-size="12" font-weight="bold">${escape(MODE_TITLES[run.mode])}</text>`);
  out.push(`<text x="${WIDTH - MARGIN.right}" y="${plotTop - 8}" text-anchor="end" fill="${failed > 0 ? COLORS.failed : '#333'}">${escape(summary)}${run.error ? ' — ERROR' : ''}</text>`);

  const storm = run.events.filter((e) => e.kind === 'storm');
  if (storm.length >= 2) {
    const from = x(Math.max(0, storm[0]!.atMs / 1000));
    const to = x(Math.min(seconds, storm[storm.length - 1]!.atMs / 1000));
    out.push(`<rect x="${from}" y="${plotTop}" width="${Math.max(0, to - from)}" height="${stripBottom - plotTop}" fill="${COLORS.storm}" opacity="0.08"/>`);
  }
  for (const v of ticks(yMax, 5)) {
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${stripTop}" width="${plotWidth}" height="${FAIL_STRIP}" fill="#fbf3f3"/>`);
  out.push(`<text x="${MARGIN.left - 6}" y="${stripTop + 9}" text-anchor="end" fill="${COLORS.failed}">${failMax}</text>`);
  out.push(`<text x="${MARGIN.left - 6}" y="${stripBottom}" text-anchor="end" fill="${COLORS.failed}">0</text>`);
  for (const s of ticks(seconds, 12)) {
    out.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${stripBottom}" y2="${stripBottom + 4}" stroke="#555"/>`);
    out.push(`<text x="${x(s)}" y="${stripBottom + 16}" text-anchor="middle" fill="#555">${s}</text>`);
  }
  out.push(`<text x="${WIDTH - MARGIN.right}" y="${stripBottom + 28}" text-anchor="end" fill="#555">seconds since the load started</text>`);
  out.push(`<text x="14" y="${(plotTop + plotBottom) / 2}" transform="rotate(-90 14 ${(plotTop + plotBottom) / 2})" text-anchor="middle" fill="#555">ok / s</text>`);
  out.push(`<text x="14" y="${(stripTop + stripBottom) / 2}" transform="rotate(-90 14 ${(stripTop + stripBottom) / 2})" text-anchor="middle" fill="${COLORS.failed}">failed</text>`);
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${plotBottom}" y2="${plotBottom}" stroke="#555"/>`);
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${stripBottom}" y2="${stripBottom}" stroke="#555"/>`);
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(run.shape.rate)}" y2="${y(run.shape.rate)}" stroke="${COLORS.rate}" stroke-dasharray="2 3"/>`);

  for (const event of mergeNearby(run.events.filter((e) => e.atMs >= 0 && e.atMs / 1000 <= seconds))) {
    const ex = x(event.atMs / 1000);
    out.push(`<line x1="${ex}" x2="${ex}" y1="${plotTop}" y2="${stripBottom}" stroke="${COLORS[event.kind]}" stroke-dasharray="4 3" stroke-width="1.2"/>`);
    out.push(`<text x="${ex - 3}" y="${plotTop + 2}" transform="rotate(-90 ${ex - 3} ${plotTop + 2})" text-anchor="end" fill="${COLORS[event.kind]}" font-size="10">${escape(event.label)}</text>`);
  }
  for (const r of run.enginePasses.filter((h) => h.reload && h.atMs >= 0 && h.atMs / 1000 <= seconds)) {
    const rx = x(r.atMs / 1000);
    out.push(`<path d="M${rx} ${plotBottom - 7} l-3.5 7 h7 z" fill="${COLORS.reload}"><title>${escape(`${r.event} reload at ${(r.atMs / 1000).toFixed(2)} s, ${r.durationMs} ms`)}</title></path>`);
  }

  const barWidth = Math.max(1, plotWidth / seconds - 1);
  for (const b of buckets.filter((bucket) => bucket.failed > 0)) {
    const h = Math.max(2, (b.failed / failMax) * (FAIL_STRIP - 12));
    out.push(`<rect x="${x(b.second)}" y="${stripBottom - h}" width="${barWidth}" height="${h}" fill="${COLORS.failed}" opacity="0.8"><title>${b.failed} failed in second ${b.second}</title></rect>`);
    out.push(`<text x="${x(b.second + 0.5)}" y="${stripBottom - h - 2}" text-anchor="middle" fill="${COLORS.failed}" font-size="9">${b.failed}</text>`);
  }
  if (buckets.length > 0) {
    const points = buckets.map((b) => `${x(b.second + 0.5).toFixed(1)},${y(b.ok).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${COLORS.ok}" stroke-width="1.8"/>`);
  }
  return out.join('\n');
}

function legend(left: number, firstRow: number): string {
  let top = firstRow;
  const items: [string, string, 'line' | 'bar' | 'dash' | 'tick'][] = [
    ['ok / s', COLORS.ok, 'line'],
    ['failed / s (by send time, own scale)', COLORS.failed, 'bar'],
    ['target rate', COLORS.rate, 'dash'],
    ['docker run', COLORS.run, 'dash'],
    ['docker stop', COLORS.stop, 'dash'],
    ['docker kill', COLORS.kill, 'dash'],
    ['reload storm (shaded)', COLORS.storm, 'dash'],
    ['reload by a handler', COLORS.reload, 'tick'],
  ];
  let x = left;
  const out: string[] = [];
  for (const [label, color, kind] of items) {
    const width = 26 + label.length * 5.6;
    if (x + width > WIDTH - MARGIN.right) {
      x = left;
      top += 15;
    }
    if (kind === 'bar') out.push(`<rect x="${x}" y="${top - 8}" width="12" height="9" fill="${color}" opacity="0.75"/>`);
    else if (kind === 'tick') out.push(`<path d="M${x + 6} ${top - 8} l-3.5 7 h7 z" fill="${color}"/>`);
    else out.push(`<line x1="${x}" x2="${x + 14}" y1="${top - 4}" y2="${top - 4}" stroke="${color}" stroke-width="2"${kind === 'dash' ? ' stroke-dasharray="4 2"' : ''}/>`);
    out.push(`<text x="${x + 18}" y="${top}" fill="#333">${escape(label)}</text>`);
    x += width;
  }
  return out.join('\n');
}

/** Events of one kind less than 0.5 s apart share a line: thirty parallel `docker run`s are one moment. */
export function mergeNearby(events: readonly TimelineEvent[]): TimelineEvent[] {
  const groups: TimelineEvent[][] = [];
  for (const event of [...events].sort((a, b) => a.atMs - b.atMs)) {
    const group = groups.find((g) => g[0]!.kind === event.kind && event.atMs - g[g.length - 1]!.atMs < 500);
    if (group) group.push(event);
    else groups.push([event]);
  }
  return groups.map((g) => (g.length === 1 ? g[0]! : { ...g[0]!, label: `${g[0]!.label} … ${g[g.length - 1]!.label.split(' ').pop()} (${g.length})` }));
}

function ticks(max: number, count: number): number[] {
  const step = niceStep(max / count);
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v));
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

function niceCeiling(value: number): number {
  const step = niceStep(value / 5);
  return Math.ceil(value / step) * step;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
