const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngSize {
  width: number;
  height: number;
}

/** Width and height from a PNG's header (its IHDR chunk, always first); throws on anything that is not a PNG. */
export function pngSize(bytes: Uint8Array): PngSize {
  const head = Buffer.from(bytes.subarray(0, 24));
  if (head.length < 24 || SIGNATURE.some((byte, i) => head[i] !== byte) || head.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`Expected a PNG file (signature and IHDR chunk), got ${bytes.length} bytes starting ${head.subarray(0, 8).toString('hex') || '(nothing)'}`);
  }
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}
