import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminSocketUnavailable } from '../../../../handlers/haproxy/admin-socket.ts';
import { createLog } from '../../../../handlers/os/log.ts';
import { watchEvery } from '../../../../handlers/tls/watch-loop.ts';

test('looks until aborted; says "waiting" once and a repeated error once', async () => {
  const lines: string[] = [];
  const log = createLog({ write: (text: string | Uint8Array) => lines.push(String(text)) }, 'certificates');
  const controller = new AbortController();
  const outcomes = ['waiting', 'waiting', 'boom', 'boom', 'ok', 'boom'];
  let looks = 0;
  await watchEvery(1, async () => {
    const outcome = outcomes[looks++];
    if (looks === outcomes.length) controller.abort();
    if (outcome === 'waiting') throw new AdminSocketUnavailable('admin socket /x: ENOENT');
    if (outcome === 'boom') throw new Error('disk full');
  }, log, controller.signal);
  assert.equal(looks, outcomes.length);
  assert.equal(lines.filter((l) => l.includes("waiting for HAProxy's admin socket")).length, 1);
  assert.equal(lines.filter((l) => l.includes('reason="disk full"')).length, 2, 'said again after a good look');
});
