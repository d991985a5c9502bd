import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { writeSync } from 'node:fs';
import { descriptorLines } from '../../../../handlers/os/stderr-lines.ts';

/** A descriptor that takes at most `chunk` bytes per write, and fails with `code` once `failAt` bytes are in. */
function descriptor(chunk: number, failAt = Infinity, code = 'EAGAIN') {
  const written: Buffer[] = [];
  let total = 0;
  const write = ((_fd: number, bytes: Buffer, offset: number) => {
    if (total >= failAt) throw Object.assign(new Error(code), { code });
    const part = bytes.subarray(offset, offset + Math.min(chunk, failAt - total));
    written.push(Buffer.from(part));
    total += part.length;
    return part.length;
  }) as unknown as typeof writeSync;
  return { write, bytes: () => Buffer.concat(written), text: () => Buffer.concat(written).toString() };
}

test('a line goes out whole, however few bytes each write takes, multi-byte characters included', () => {
  const fd = descriptor(3);
  const lines = descriptorLines(2, fd.write, () => assert.fail('no fallback wanted'));
  lines.write('level=info msg=done name="wéb1"\n');
  lines.write('second\n');
  assert.equal(fd.text(), 'level=info msg=done name="wéb1"\nsecond\n');
});

test('a descriptor that answers EAGAIN hands the rest of the line, and every later line, to the stream, in order', () => {
  // 8 bytes: 'first l' and the first byte of 'ï', so the stream starts inside a character.
  const fd = descriptor(100, 8);
  const stream: Buffer[] = [];
  let built = 0;
  const lines = descriptorLines(2, fd.write, () => {
    built++;
    return { write: (chunk: string | Uint8Array) => stream.push(Buffer.from(chunk)) };
  });
  lines.write('first lïne\n');
  lines.write('second line\n');
  assert.equal(fd.bytes().length, 8);
  assert.equal(Buffer.concat([fd.bytes(), ...stream]).toString(), 'first lïne\nsecond line\n');
  assert.equal(built, 1);
});

test('any other write error (EPIPE) also leaves the lines to the stream rather than failing the run', () => {
  const fd = descriptor(100, 0, 'EPIPE');
  const stream: string[] = [];
  const lines = descriptorLines(2, fd.write, () => ({ write: (chunk: string | Uint8Array) => stream.push(String(chunk)) }));
  assert.doesNotThrow(() => lines.write('x\n'));
  assert.deepEqual(stream, ['x\n']);
});
