// The web app behind HAProxy, run by the agent kit's /lb/init from a startup snapshot of
// `node webapp.cjs` (see the webapp stage's CMD in docker/Dockerfile). Settings come from the environment.
import { hostname } from 'node:os';
import { createLog } from '../handlers/os/log.ts';
import { createWebApp } from './lib/app.ts';
import { firstExternalIpv4 } from './lib/network-address.ts';
import { readSettings, type Settings, SettingsError } from './lib/settings.ts';

const log = createLog(process.stdout, 'webapp');
const started = performance.now();
const sinceStart = () => Math.round(performance.now() - started);

function settingsOrExit(): Settings {
  try {
    return readSettings(process.env, hostname());
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    log('error', error.message);
    process.exit(2);
  }
}

const settings = settingsOrExit();

const app = createWebApp({
  serverName: settings.serverName,
  hostname: hostname(),
  address: firstExternalIpv4(),
  drainQuietMs: settings.drainQuietMs,
  drainMaxMs: settings.drainMaxMs,
  log,
});

app.server.on('error', (error) => {
  log('error', `failed to listen: ${error.message}`, { port: settings.port });
  process.exit(1);
});

app.server.listen(settings.port, () => {
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : settings.port;
  // Wired once listening: before that there is nothing to drain, and the
  // default action, exit at once, is right. Wired before the line that says
  // so, and before the first answer the kit announces on, so a stop that
  // follows either always finds the drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onStopSignal(signal));
  log('info', 'listening', { port, server_name: settings.serverName, startup_ms: sinceStart() });
});

function onStopSignal(signal: NodeJS.Signals) {
  if (app.draining) {
    // Docker (or the kit) may repeat the signal; the drain already under way is the answer to both.
    log('warn', 'signal ignored, already draining', { signal });
    return;
  }
  const drainStarted = performance.now();
  log('info', 'stop signal', { signal });
  app.drain().then(() => {
    // Nothing is left to keep the event loop alive, so Node exits 0 right after this line.
    log('info', 'exiting', { code: 0, drain_ms: Math.round(performance.now() - drainStarted) });
  });
}
