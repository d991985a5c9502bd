// Writing the part of MessagePack that Serf's RPC takes (hashicorp/go-msgpack):
// maps with string keys, arrays, strings, byte strings, whole numbers from
// 0, booleans and nil. msgpack-decode.ts reads its answers.

export type Packable = string | number | boolean | null | Buffer | readonly Packable[] | { readonly [key: string]: Packable };

export class MsgpackError extends Error {}

/** A length-prefixed type's header: the fix form below `fixLimit`, else the 16- or 32-bit one. */
function lengthHead(length: number, fixLimit: number, fixBase: number, code16: number, code32: number): Buffer {
  if (length < fixLimit) return Buffer.from([fixBase | length]);
  if (length < 0x10000) return Buffer.from([code16, length >> 8, length & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = code32;
  out.writeUInt32BE(length, 1);
  return out;
}

export function pack(value: Packable): Buffer {
  if (value === null) return Buffer.from([0xc0]);
  if (value === true) return Buffer.from([0xc3]);
  if (value === false) return Buffer.from([0xc2]);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new MsgpackError(`only whole numbers from 0 are packed, got ${value}`);
    if (value < 0x80) return Buffer.from([value]);
    if (value < 0x100) return Buffer.from([0xcc, value]);
    if (value < 0x10000) return Buffer.from([0xcd, value >> 8, value & 0xff]);
    if (value < 0x100000000) {
      const out = Buffer.alloc(5);
      out[0] = 0xce;
      out.writeUInt32BE(value, 1);
      return out;
    }
    const out = Buffer.alloc(9);
    out[0] = 0xcf;
    out.writeBigUInt64BE(BigInt(value), 1);
    return out;
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    // Raw 16/32, not str8: go-msgpack reads the older spec's codes.
    return Buffer.concat([lengthHead(bytes.length, 32, 0xa0, 0xda, 0xdb), bytes]);
  }
  if (Buffer.isBuffer(value)) {
    const length = value.length < 0x100 ? Buffer.from([0xc4, value.length]) : lengthHead(value.length, 0, 0, 0xc5, 0xc6);
    return Buffer.concat([length, value]);
  }
  if (Array.isArray(value)) return Buffer.concat([lengthHead(value.length, 16, 0x90, 0xdc, 0xdd), ...value.map(pack)]);
  const entries = Object.entries(value as { readonly [key: string]: Packable });
  return Buffer.concat([lengthHead(entries.length, 16, 0x80, 0xde, 0xdf), ...entries.flatMap(([k, v]) => [pack(k), pack(v)])]);
}
