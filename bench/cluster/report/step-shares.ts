import { TRAFFIC_STEPS, type TrafficSteps } from '../ha-log/traffic-steps.ts';
import { summarize } from './summary.ts';

/** One line: the p50 of each step over the backends, and what could not be read. */
export function stepShares(perBackend: readonly TrafficSteps[]): string {
  const medians = TRAFFIC_STEPS.map((step) => {
    const s = summarize(perBackend.map((b) => b.ms[step]).filter((v): v is number => v !== undefined));
    return `${step} ${s ? `${s.p50} ms` : 'not found'}`;
  });
  const lost = TRAFFIC_STEPS.map((step) => [step, perBackend.filter((b) => b.notFound === step).length] as const).filter(([, n]) => n > 0);
  const early = TRAFFIC_STEPS.map((step) => [step, perBackend.filter((b) => b.stampedEarly.includes(step)).length] as const).filter(([, n]) => n > 0);
  return [
    `p50 of each step from the container's start, each from the one before: ${medians.join(' → ')}`,
    ...lost.map(([step, n]) => `${step}: mark not found for ${n} of ${perBackend.length} backends (it and the steps after it left out)`),
    ...early.map(([step, n]) => `${step}: stamped before the step before it for ${n} backends (counted 0)`),
  ].join('; ');
}
