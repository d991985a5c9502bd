import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { pngSize } from '../../../lab/png.ts';

/** A valid 1-bit greyscale PNG of the given size, built by hand. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1;
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('reads width and height from the IHDR chunk', () => {
  assert.deepEqual(pngSize(png(1400, 620)), { width: 1400, height: 620 });
  assert.deepEqual(pngSize(png(1, 1)), { width: 1, height: 1 });
});

test('rejects what is not a PNG, saying what came', () => {
  assert.throws(() => pngSize(Buffer.from('<html><body>stats</body></html>')), /^Error: Expected a PNG file \(signature and IHDR chunk\), got 31 bytes starting 3c68746d6c3e3c62$/);
  assert.throws(() => pngSize(new Uint8Array(0)), /got 0 bytes starting \(nothing\)/);
  const noHeader = png(2, 2);
  noHeader.write('IDAT', 12, 'latin1');
  assert.throws(() => pngSize(noHeader), /Expected a PNG file/);
});
