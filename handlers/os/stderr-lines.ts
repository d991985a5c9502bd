import { writeSync } from 'node:fs';

/** Where log lines go: anything with a `write(text)`, a stream among others. */
export interface LineSink {
  write(text: string | Uint8Array): unknown;
}

/**
 * Lines written straight to a descriptor (stderr by default) with writeSync.
 * process.stderr, built on first use, costs a run about 1 ms (a stream around
 * a pipe handle), and Node writes it synchronously to pipes and files anyway.
 * A write that fails (EAGAIN from a non-blocking pipe, anything else) hands
 * what is left of the line, and every line after it, to the stream, which
 * then behaves as it always did; the lines keep their order.
 */
export function descriptorLines(fd = 2, write: typeof writeSync = writeSync, stream: () => LineSink = () => process.stderr): LineSink {
  let fallback: LineSink | undefined;
  return {
    write(text: string) {
      if (fallback) return fallback.write(text);
      const bytes = Buffer.from(text);
      let done = 0;
      try {
        while (done < bytes.length) done += write(fd, bytes, done);
      } catch {
        fallback = stream();
        // Bytes, not text: a write may stop inside a character.
        fallback.write(done === 0 ? text : bytes.subarray(done));
      }
      return true;
    },
  };
}
