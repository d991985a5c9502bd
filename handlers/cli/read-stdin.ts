import { readSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * All of stdin: Serf writes the members and closes it. Blocking reads of fd 0
 * skip building process.stdin (2 to 5 ms of every run here). A non-blocking
 * stdin answers EAGAIN before its end: what was read is kept and the rest
 * comes through the stream. Decoded once at the end, so a UTF-8 character
 * split across two reads (a big batch) does not become two U+FFFD.
 */
export async function readStdin(): Promise<string> {
  // Serf always gives a stdin; a person running an entry by hand on a terminal gives none.
  if (isatty(0)) return '';
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let length: number;
    try {
      length = readSync(0, buffer);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
        break;
      }
      // No stdin at all (fd 0 closed) is an empty batch.
      if (code === 'EBADF') break;
      throw error;
    }
    if (length === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, length)));
  }
  return Buffer.concat(chunks).toString('utf8');
}
