// Reading the part of MessagePack that Serf's RPC speaks (hashicorp/go-msgpack):
// maps with string keys, arrays, strings, byte strings, whole numbers,
// negative ones, floats, booleans and nil (msgpack-encode.ts writes the rest).
// Small enough to write down; the one npm package for it would be the
// handlers' largest dependency.

import { MsgpackError } from './msgpack-encode.ts';

export type Unpacked = string | number | boolean | null | Buffer | Unpacked[] | { [key: string]: Unpacked };

/** `value` if it is a map (Go's struct or map), else undefined. */
export function asMap(value: Unpacked | undefined): { [key: string]: Unpacked } | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) ? value : undefined;
}

/** Thrown by unpack when the buffer ends inside a value: wait for more bytes. */
export class Incomplete extends Error {}

/** One value from `buf` at `offset`, and where the next one starts; throws Incomplete if `buf` ends first. */
export function unpack(buf: Buffer, offset = 0): { value: Unpacked; next: number } {
  const need = (n: number) => {
    if (offset + n > buf.length) throw new Incomplete();
  };
  need(1);
  const code = buf[offset++]!;
  const bytes = (n: number): Buffer => {
    need(n);
    offset += n;
    return buf.subarray(offset - n, offset);
  };
  const uint = (n: 1 | 2 | 4 | 8): number => {
    const b = bytes(n);
    return n === 1 ? b[0]! : n === 2 ? b.readUInt16BE(0) : n === 4 ? b.readUInt32BE(0) : Number(b.readBigUInt64BE(0));
  };
  const int = (n: 1 | 2 | 4 | 8): number => {
    const b = bytes(n);
    return n === 1 ? b.readInt8(0) : n === 2 ? b.readInt16BE(0) : n === 4 ? b.readInt32BE(0) : Number(b.readBigInt64BE(0));
  };
  const array = (length: number): Unpacked[] => {
    const items: Unpacked[] = [];
    for (let i = 0; i < length; i++) {
      const item = unpack(buf, offset);
      items.push(item.value);
      offset = item.next;
    }
    return items;
  };
  const map = (length: number): { [key: string]: Unpacked } => {
    const items = array(2 * length);
    const out: { [key: string]: Unpacked } = {};
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      // Defined, not assigned: assigning `__proto__` sets the prototype; JSON.parse (the CLI's path) keeps the key.
      Object.defineProperty(out, Buffer.isBuffer(key) ? key.toString('utf8') : String(key), { value: items[i + 1]!, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  let value: Unpacked;
  if (code < 0x80) value = code;
  else if (code >= 0xe0) value = code - 0x100;
  else if (code < 0x90) value = map(code & 0x0f);
  else if (code < 0xa0) value = array(code & 0x0f);
  else if (code < 0xc0) value = bytes(code & 0x1f).toString('utf8');
  else {
    switch (code) {
      case 0xc0: value = null; break;
      case 0xc2: value = false; break;
      case 0xc3: value = true; break;
      // Byte strings: an IP address in a member. Copied, so the read buffer can go.
      case 0xc4: value = Buffer.from(bytes(uint(1))); break;
      case 0xc5: value = Buffer.from(bytes(uint(2))); break;
      case 0xc6: value = Buffer.from(bytes(uint(4))); break;
      case 0xca: value = bytes(4).readFloatBE(0); break;
      case 0xcb: value = bytes(8).readDoubleBE(0); break;
      case 0xcc: value = uint(1); break;
      case 0xcd: value = uint(2); break;
      case 0xce: value = uint(4); break;
      case 0xcf: value = uint(8); break;
      case 0xd0: value = int(1); break;
      case 0xd1: value = int(2); break;
      case 0xd2: value = int(4); break;
      case 0xd3: value = int(8); break;
      case 0xd9: value = bytes(uint(1)).toString('utf8'); break;
      case 0xda: value = bytes(uint(2)).toString('utf8'); break;
      case 0xdb: value = bytes(uint(4)).toString('utf8'); break;
      case 0xdc: value = array(uint(2)); break;
      case 0xdd: value = array(uint(4)); break;
      case 0xde: value = map(uint(2)); break;
      case 0xdf: value = map(uint(4)); break;
      default: throw new MsgpackError(`MessagePack type 0x${code.toString(16)} is not one Serf's RPC sends`);
    }
  }
  return { value, next: offset };
}

/**
 * The values of a byte stream, as its chunks come: push() returns every
 * value the bytes so far complete, and keeps the rest for the next chunk.
 * Throws MsgpackError on a type unpack() does not read.
 */
export class MsgpackStream {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Unpacked[] {
    let buf = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    const values: Unpacked[] = [];
    for (;;) {
      let read;
      try {
        read = unpack(buf);
      } catch (error) {
        if (!(error instanceof Incomplete)) throw error;
        this.rest = buf;
        return values;
      }
      values.push(read.value);
      buf = buf.subarray(read.next);
    }
  }
}
