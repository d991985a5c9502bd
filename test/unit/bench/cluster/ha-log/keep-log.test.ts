import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keepLog } from '../../../../../bench/cluster/ha-log/log-lines.ts';
import { tempDir } from '../../../../fakes.ts';

test("keepLog writes a run's log lines under logs/, each with Docker's time in ISO form", async (t) => {
  const outDir = await tempDir(t);
  const path = await keepLog(outDir, 'scale-down-restart-ha.log', [
    { atMs: Date.UTC(2026, 11, 3, 19, 9, 51, 450), text: 'level=info component=reconcile msg=done reload=yes' },
    { atMs: Date.UTC(2026, 11, 3, 19, 9, 52, 7), text: '[WARNING]  (69) : Server webapps/d7 is going DOWN for maintenance.' },
  ]);
  assert.equal(path, join(outDir, 'logs', 'scale-down-restart-ha.log'));
  assert.equal(
    await readFile(path, 'utf8'),
    '2026-12-03T19:09:51.450Z level=info component=reconcile msg=done reload=yes\n2026-12-03T19:09:52.007Z [WARNING]  (69) : Server webapps/d7 is going DOWN for maintenance.\n',
  );
});
