import { dockerOk, requireEngine } from './docker.ts';

// E2E_IMAGE_TAG keeps the images of two checkouts tested at once on one engine apart.
const tag = process.env.E2E_IMAGE_TAG || 'test';
export const HA_IMAGE = `serf-lb-ha:${tag}`;
export const WEBAPP_IMAGE = `serf-lb-webapp:${tag}`;
export const AGENT_IMAGE = `serf-lb-agent:${tag}`;

let built: Promise<void> | undefined;

/** Builds the images from the working tree once per test process (Docker's cache makes repeats cheap). */
export function ensureImages(): Promise<void> {
  built ??= (async () => {
    await requireEngine();
    const root = process.cwd();
    for (const [target, tag] of [['ha', HA_IMAGE], ['webapp', WEBAPP_IMAGE], ['agent', AGENT_IMAGE]] as const) {
      await dockerOk(['build', '-q', '-f', `${root}/docker/Dockerfile`, '--target', target, '-t', tag, root], { timeoutMs: 900_000 });
    }
  })();
  return built;
}
