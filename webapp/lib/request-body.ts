import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(limitBytes: number, declaredBytes?: number) {
    super(`expected a body of at most ${limitBytes} bytes, got ${declaredBytes ?? 'more'}`);
    this.name = 'BodyTooLarge';
  }
}

/** The whole request body as UTF-8, refusing more than `limitBytes`. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(new BodyTooLarge(limitBytes, declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is discarded rather than the stream destroyed:
      // destroying it would reset the socket before the 400 reaches the client.
      if (size > limitBytes) reject(new BodyTooLarge(limitBytes));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
