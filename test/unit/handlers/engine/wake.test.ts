import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { askEngine, memberNames } from '../../../../handlers/cli/wake-engine.ts';
import { checkRequest } from '../../../../handlers/engine/wake-server.ts';
import { tempDir } from '../../../fakes.ts';

test("a member event's names are the first field of each of Serf's lines", () => {
  assert.deepEqual(memberNames('web1\t10.0.0.5\tbackend\trole=backend,port=3000\nweb2\t10.0.0.6\t\t\n\n'), ['web1', 'web2']);
  assert.deepEqual(memberNames(''), []);
});

test('a wake-up request must be JSON with an event and the names of its members', () => {
  assert.deepEqual(checkRequest('{"event":"member-join","names":["web1"]}'), { event: 'member-join', names: ['web1'] });
  assert.equal(checkRequest('not json'), 'request is not JSON: "not json"');
  for (const text of ['null', '[]', '"x"', '{"event":"member-join"}', '{"event":1,"names":[]}', '{"event":"x","names":[1]}']) {
    assert.equal(checkRequest(text), 'request needs an event and the names of its members', text);
  }
});

/** An engine stand-in that answers every request with `text`. */
async function answering(t: import('node:test').TestContext, text: string): Promise<string> {
  const path = join(await tempDir(t), 'engine.sock');
  const server = createServer({ allowHalfOpen: true }, (socket) => socket.on('data', () => {}).on('end', () => socket.end(text)));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => server.close());
  return path;
}

test("the engine's answer is read: whether the pass did all, and which names it refused", async (t) => {
  const path = await answering(t, '{"ok":false,"rejected":["web1"]}\n');
  assert.deepEqual(await askEngine(path, { event: 'member-join', names: ['web1'] }), { ok: false, rejected: ['web1'], error: undefined });
});

test('an answer that is valid JSON but not an answer is an error, never a crash (F5)', async (t) => {
  for (const text of ['null\n', '42\n', '[]\n', '"taken"\n', '{"taken":true}\n', '{"ok":"yes","rejected":[]}\n', '']) {
    const path = await answering(t, text);
    await assert.rejects(askEngine(path, { event: 'member-join', names: [] }), /^Error: answer not understood: /, JSON.stringify(text));
  }
});

test('no engine listening is an error the handler can tell apart (ENOENT)', async (t) => {
  const path = join(await tempDir(t), 'none.sock');
  await assert.rejects(askEngine(path, { event: 'member-join', names: [] }), { code: 'ENOENT' });
});
