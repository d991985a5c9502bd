import { dockerOk, requireEngine } from './docker.ts';

export const HA_IMAGE = 'serf-lb-ha:test';
export const WEBAPP_IMAGE = 'serf-lb-webapp:test';

let built: Promise<void> | undefined;

/** Builds both images from the working tree once per test process (Docker's cache makes repeats cheap). */
export function ensureImages(): Promise<void> {
  built ??= (async () => {
    await requireEngine();
    const root = process.cwd();
    for (const [target, tag] of [['ha', HA_IMAGE], ['webapp', WEBAPP_IMAGE]] as const) {
      await dockerOk(['build', '-q', '-f', `${root}/docker/Dockerfile`, '--target', target, '-t', tag, root], { timeoutMs: 900_000 });
    }
  })();
  return built;
}
