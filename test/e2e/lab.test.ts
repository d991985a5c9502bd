// `npm run lab`'s core on the real engine and a real headless browser: the
// whole replay into a temp folder, then the report is read back as a student
// would: the files are there, the configs list the right servers, the
// screenshots are PNGs of the stats page, index.md's links all resolve.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkTargets } from '../../lab/index-md.ts';
import { pngSize } from '../../lab/png.ts';
import { runLab, type LabRun } from '../../lab/run-lab.ts';
import { TASK6_FINAL, TASK6_STARTED } from '../../lab/tasks.ts';
import { dockerOk } from '../../harness/docker/docker.ts';

const snapshots = ['t4-1-ha-alone', 't4-2-s1-started', 't4-3-s2-started', 't5-4-s1-stopped', 't6-1-ha-alone', 't6-2-seven-started', 't6-3-three-stopped'];
// Task 6's first is ha alone, before any backend: the webapps backend lists no server.
const screenshots: Record<string, string[]> = { t1: ['s1', 's2'], 't6-1-ha-alone': [], 't6-2-seven-started': TASK6_STARTED, 't6-3-three-stopped': TASK6_FINAL };
const expectedFiles = [
  'index.md',
  't1-docker-top-ha.txt', 't1-docker-top-s1.txt',
  't2-logs-ha.txt', 't2-logs-s1.txt', 't2-logs-s2.txt',
  't3-ha-handlers.log', 't5-4-ha-handlers.log', 't6-3-ha-handlers.log',
  't4-3-inspect-ha.json', 't4-3-inspect-s1.json', 't4-3-inspect-s2.json',
  ...snapshots.flatMap((s) => [`${s}-haproxy.cfg`, `${s}-nodes.txt`, `${s}-docker-ps.txt`]),
  ...Object.keys(screenshots).flatMap((s) => [`${s}-stats.png`, `${s}-stats.dom.html`]),
].sort();

/** The `server` names of a saved haproxy.cfg, in file order. */
const serverLines = (config: string) => [...config.matchAll(/^\s*server\s+(\S+)/gm)].map((m) => m[1]);

describe('npm run lab (its core, runLab)', () => {
  let dir: string;
  let run: LabRun;
  const read = (name: string) => readFile(join(dir, name), 'utf8');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-report-'));
    run = await runLab(dir, () => {});
  });
  after(() => dir && rm(dir, { recursive: true, force: true }));

  test('writes every file of the report, and nothing else', async () => {
    assert.deepEqual((await readdir(dir)).sort(), expectedFiles);
  });

  test('haproxy.cfg lists the servers of each step; task 6 ends with exactly s1, s3, s5, s7', async () => {
    const servers: Record<string, Array<string | undefined>> = {};
    for (const s of snapshots) servers[s] = serverLines(await read(`${s}-haproxy.cfg`));
    assert.deepEqual(servers, {
      't4-1-ha-alone': [], 't4-2-s1-started': ['s1'], 't4-3-s2-started': ['s1', 's2'], 't5-4-s1-stopped': ['s2'],
      't6-1-ha-alone': [], 't6-2-seven-started': TASK6_STARTED, 't6-3-three-stopped': ['s1', 's3', 's5', 's7'],
    });
    assert.deepEqual((await read('t6-3-three-stopped-nodes.txt')).match(/^\/nodes\/\S+\.json$/gm), TASK6_FINAL.map((s) => `/nodes/${s}.json`));
  });

  test('each screenshot is a PNG of the window, and the browser saw the stats page list its servers', async () => {
    for (const [tag, servers] of Object.entries(screenshots)) {
      const png = await readFile(join(dir, `${tag}-stats.png`));
      assert.deepEqual(pngSize(png), { width: 1400, height: 620 }, tag);
      // A blank or error page compresses to a few kB; the stats tables do not.
      assert.ok(png.length > 30_000 && png.length < 2_000_000, `${tag}: ${png.length} bytes`);
      const dom = await read(`${tag}-stats.dom.html`);
      assert.match(dom, /Statistics Report for pid \d+/, tag);
      const rows = [...dom.matchAll(/href="#webapps\/([^"]+)"/g)].map((m) => m[1]!);
      // Servers added at run time are listed in the order they came, not by name.
      assert.deepEqual(rows.filter((r) => r !== 'Backend').sort(), [...servers].sort(), tag);
    }
  });

  test('the logs are the containers\' own, and the handler lines are every component= line of ha\'s', async () => {
    const ha = await read('t2-logs-ha.txt');
    assert.match(ha, /Serf agent running/);
    assert.match(await read('t2-logs-s1.txt'), /Node name: 's1'/);
    for (const name of ['t3-ha-handlers.log', 't5-4-ha-handlers.log', 't6-3-ha-handlers.log']) {
      const lines = (await read(name)).trimEnd().split('\n');
      assert.ok(lines.length >= 3 && lines.every((l) => l.includes('component=')), `${name}: ${lines.length} lines`);
    }
    assert.equal((await read('t3-ha-handlers.log')).trimEnd(), ha.split('\n').filter((l) => l.includes('component=')).join('\n'));
    assert.equal(JSON.parse(await read('t4-3-inspect-s1.json'))[0].Config.Hostname, 's1');
  });

  test('index.md links every file once, under its task, and shows serf members at each step', async () => {
    const index = await read('index.md');
    const links = linkTargets(index);
    assert.deepEqual([...links].sort(), expectedFiles.filter((f) => f !== 'index.md'));
    for (const link of links) assert.ok((await stat(join(dir, link))).isFile(), link);
    assert.equal(index.match(/^## /gm)?.length, 4);
    assert.equal(index.match(/^`serf members` in ha:$/gm)?.length, 8);
  });

  test('no container or network of the replay is left on the engine', async () => {
    assert.equal(run.prefixes.length, 2);
    for (const prefix of run.prefixes) {
      assert.equal((await dockerOk(['ps', '-aq', '--filter', `name=^${prefix}-`])).trim(), '', prefix);
      assert.equal((await dockerOk(['network', 'ls', '-q', '--filter', `name=^${prefix}-net$`])).trim(), '', prefix);
    }
  });
});
