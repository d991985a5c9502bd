// Compose v2, what users have: the tests and the README's commands run on it,
// and scripts/docker-engine.sh puts Debian trixie's v2 plugin where a v1 (or
// the v1 shim older versions of the script installed) was, and leaves a v2 alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOk, requireEngine } from '../../harness/docker/docker.ts';

const script = join(process.cwd(), 'scripts', 'docker-engine.sh');

function runScript(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [script], { env, timeout: 300_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr: String(stderr) });
    });
  });
}

/** Where the docker CLI finds its compose plugin. */
async function composePluginPath(): Promise<string> {
  const plugins = JSON.parse(await dockerOk(['info', '--format', '{{json .ClientInfo.Plugins}}'])) as { Name: string; Path: string }[];
  const compose = plugins.find((p) => p.Name === 'compose');
  assert.ok(compose, 'no compose plugin: run scripts/docker-engine.sh');
  return compose.Path;
}

/**
 * A PATH whose `docker` reports the given Compose version (and an engine and
 * base image that are there), and whose `apt-get` records how it was called,
 * with the sources list it was given, and fails: nothing is downloaded.
 */
async function fakeMachine(composeVersion: string): Promise<{ env: NodeJS.ProcessEnv; aptLog: () => Promise<string>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lbe2e-engine-'));
  const log = join(dir, 'apt.log');
  await writeFile(join(dir, 'docker'), `#!/bin/sh
case "$*" in
  "compose version --short") echo "${composeVersion}" ;;
  *) exit 0 ;;
esac
`);
  await writeFile(join(dir, 'apt-get'), `#!/bin/sh
echo "apt-get $*" >>"${log}"
for arg in "$@"; do
  case "$arg" in Dir::Etc::SourceList=*) cat "\${arg#*=}" >>"${log}" ;; esac
done
exit 1
`);
  await writeFile(log, '');
  await Promise.all(['docker', 'apt-get'].map((f) => chmod(join(dir, f), 0o755)));
  return {
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    aptLog: () => readFile(log, 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describe('Compose v2', () => {
  test('docker compose on this machine is v2, the version the tests and the README use', async () => {
    await requireEngine();
    const version = (await dockerOk(['compose', 'version', '--short'])).trim().replace(/^v/, '');
    assert.ok(Number(version.split('.')[0]) >= 2, `docker compose is ${version}, not v2: run scripts/docker-engine.sh`);
  });

  test('scripts/docker-engine.sh on a provisioned machine exits 0 and leaves the plugin as it is', async () => {
    const plugin = await composePluginPath();
    const before = await stat(plugin);
    const run = await runScript(process.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const after = await stat(plugin);
    assert.deepEqual([after.ino, after.mtimeMs, after.size], [before.ino, before.mtimeMs, before.size]);
  });

  test('a Compose v1 is replaced: the script downloads trixie\'s docker-compose through its own apt configuration', async (t) => {
    const machine = await fakeMachine('1.29.2');
    t.after(machine.cleanup);
    const run = await runScript(machine.env);
    assert.notEqual(run.code, 0, 'the fake apt-get fails, so must the script');
    assert.match(run.stderr, /downloading Compose v2/);
    const log = await machine.aptLog();
    const calls = log.split('\n').filter((l) => l.startsWith('apt-get '));
    assert.equal(calls.length, 1, log);
    assert.match(calls[0]!, / update$/);
    // Every list, cache and source apt uses is the script's own, never this host's.
    for (const option of ['Dir::Etc::SourceList', 'Dir::Etc::SourceParts', 'Dir::State::Lists', 'Dir::Cache']) {
      assert.match(calls[0]!, new RegExp(`${option}=/tmp/compose-v2\\.`), option);
    }
    assert.match(log, /^deb \[signed-by=\S+\] http:\/\/deb\.debian\.org\/debian trixie main$/m);
    assert.equal(log.split('\n').filter((l) => l.startsWith('deb')).length, 1);
  });

  test('a Compose v2 is left alone: apt is never called', async (t) => {
    for (const version of ['2.26.1-4', 'v2.29.7']) {
      const machine = await fakeMachine(version);
      t.after(machine.cleanup);
      const run = await runScript(machine.env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(await machine.aptLog(), '', version);
    }
  });
});
