import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Incomplete, MsgpackStream, unpack } from '../../../../handlers/members/msgpack-decode.ts';
import { MsgpackError, pack } from '../../../../handlers/members/msgpack-encode.ts';

test('what pack writes, unpack reads back: maps, arrays, strings of every length class, whole numbers, booleans, nil, bytes', () => {
  const value = {
    Command: 'members',
    Seq: 0,
    big: [127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER],
    strings: ['', 'a'.repeat(31), 'é'.repeat(16), 'b'.repeat(70_000)],
    flags: [true, false, null],
    bytes: Buffer.from([172, 18, 0, 3]),
    many: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
  };
  const { value: back, next } = unpack(pack(value));
  assert.deepEqual(back, value);
  assert.equal(next, pack(value).length);
});

test("reads what go-msgpack writes: raw 16 strings, bin 8 addresses, signed integers and floats", () => {
  const bytes = Buffer.from([
    0x86,
    0xa4, ...Buffer.from('Name'), 0xda, 0x00, 0x02, ...Buffer.from('w1'),
    0xa4, ...Buffer.from('Addr'), 0xc4, 0x04, 10, 0, 0, 5,
    0xa3, ...Buffer.from('neg'), 0xd0, 0xfe,
    0xa3, ...Buffer.from('fix'), 0xff,
    0xa3, ...Buffer.from('f64'), 0xcb, ...(() => { const b = Buffer.alloc(8); b.writeDoubleBE(1.5); return b; })(),
    0xa4, ...Buffer.from('list'), 0xdc, 0x00, 0x01, 0xd9, 0x01, ...Buffer.from('x'),
  ]);
  assert.deepEqual(unpack(bytes).value, { Name: 'w1', Addr: Buffer.from([10, 0, 0, 5]), neg: -2, fix: -1, f64: 1.5, list: ['x'] });
});

test('a value cut anywhere is Incomplete, never a wrong value; two values back to back are read one at a time', () => {
  const whole = pack({ Seq: 70_000, Error: 'x'.repeat(40), Members: [{ Name: 'a', Addr: Buffer.from([1, 2, 3, 4]) }] });
  for (let cut = 0; cut < whole.length; cut++) assert.throws(() => unpack(whole.subarray(0, cut)), Incomplete, `cut at ${cut}`);
  const two = Buffer.concat([pack({ Seq: 1 }), pack('next')]);
  const first = unpack(two);
  assert.deepEqual([first.value, unpack(two, first.next).value], [{ Seq: 1 }, 'next']);
});

test('a type Serf never sends, or a number pack cannot write, is refused in one line', () => {
  assert.throws(() => unpack(Buffer.from([0xc1])), (e: unknown) => e instanceof MsgpackError && e.message === "MessagePack type 0xc1 is not one Serf's RPC sends");
  assert.throws(() => pack(-1), (e: unknown) => e instanceof MsgpackError && e.message === 'only whole numbers from 0 are packed, got -1');
  assert.throws(() => pack(0.5), /got 0\.5$/);
});

test('a stream yields each value once its last byte has come, whatever the chunks', () => {
  const bytes = Buffer.concat([pack({ Seq: 1, Error: '' }), pack({ Members: [{ Name: 'w1', Addr: Buffer.from([10, 0, 0, 5]) }] }), pack('x'.repeat(300))]);
  const oneByOne = new MsgpackStream();
  const seen = [...bytes].flatMap((byte) => oneByOne.push(Buffer.from([byte])));
  assert.deepEqual(seen, [{ Seq: 1, Error: '' }, { Members: [{ Name: 'w1', Addr: Buffer.from([10, 0, 0, 5]) }] }, 'x'.repeat(300)]);
  assert.deepEqual(new MsgpackStream().push(bytes), seen);
  assert.throws(() => new MsgpackStream().push(Buffer.from([0xc1])), MsgpackError);
});
