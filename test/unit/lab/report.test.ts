import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Report } from '../../../lab/report.ts';
import { tempDir } from '../../fakes.ts';

test('a report starts from a folder holding only a placeholder index.md, and lists what each step wrote', async (t) => {
  const dir = join(await tempDir(t), 'lab-report');
  const old = await Report.fresh(dir);
  await old.step('t1', 'old').write('index.md', 'an earlier run', 'old');
  const report = await Report.fresh(dir);
  const step = report.step('t5', 's1 started');
  await step.write('t4-2-s1-started-haproxy.cfg', 'haproxy.cfg after s1 joined', 'server s1 10.0.0.3:3000\n');
  assert.deepEqual(step.files, [{ name: 't4-2-s1-started-haproxy.cfg', description: 'haproxy.cfg after s1 joined' }]);
  assert.equal(await readFile(join(dir, 't4-2-s1-started-haproxy.cfg'), 'utf8'), 'server s1 10.0.0.3:3000\n');
  assert.match(await readFile(join(dir, 'index.md'), 'utf8'), /under way, or was cut short/);
  assert.deepEqual((await readdir(dir)).sort(), ['index.md', 't4-2-s1-started-haproxy.cfg']);
});

test('refuses to empty a folder that is not a lab report, and leaves it as it was', async (t) => {
  const dir = await tempDir(t);
  await Report.fresh(join(dir, 'sub'));
  await assert.rejects(Report.fresh(dir), /^Error: Expected .* to be absent, empty or an earlier lab report \(with index.md\), got 1 other entries: not emptying it$/);
  assert.deepEqual(await readdir(dir), ['sub']);
});
