// What each entry requires (bundle/handlers/start.cjs). A member event is
// first handed to the warm reconcile (hand-over.ts), which runs it with code
// already compiled; only when nobody takes it does this process load the
// shared code, through V8's code cache kept beside it, and run it here.
import { join } from 'node:path';
import { requireWithCodeCache } from '../os/code-cache.ts';
import { createLog } from '../os/log.ts';
import { descriptorLines } from '../os/stderr-lines.ts';
import type { EventName } from '../pipeline/events.ts';
import { handOver, handOverSocket, runEnv } from './hand-over.ts';
import { readStdin } from './read-stdin.ts';
import type * as RunEntry from './run-entry.ts';

// __dirname and require: this file ships as CommonJS, beside shared.cjs, so its
// require resolves what shared.cjs requires (built-ins, ./handlebars.cjs).
const shared = () => requireWithCodeCache(join(__dirname, 'shared.cjs'), require) as typeof RunEntry;

export function main(event: EventName): void {
  const argv = process.argv.slice(2);
  const socket = handOverSocket(event, argv, process.env);
  if (!socket) {
    shared().main(event);
    return;
  }
  void readStdin().then(
    async (stdin) => {
      const outcome = await handOver(socket, { event, argv, env: runEnv(process.env), stdin });
      if (outcome.kind === 'taken') return;
      // No warm process (a run by hand, HAProxy's container still starting) is the ordinary case; anything else is worth a line.
      if (outcome.kind === 'declined' || !/ENOENT|ECONNREFUSED/.test(outcome.reason)) {
        createLog(descriptorLines(), event)('info', 'running here, not handed over', { reason: outcome.reason });
      }
      shared().main(event, stdin);
    },
    // stdin could not be read: the run here reports it, as it always did.
    () => shared().main(event),
  );
}
