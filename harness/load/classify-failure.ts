/** Why a request failed, by the layer that failed it. */
export type FailureKind = 'connect' | 'reset' | 'timeout' | 'http5xx' | 'http4xx' | 'other';

export const FAILURE_KINDS: readonly FailureKind[] = ['connect', 'reset', 'timeout', 'http5xx', 'http4xx', 'other'];

// No connection was made: nothing listening, no route, or the kernel gave up
// on the handshake (ETIMEDOUT comes from connect(2); our own deadline is not an error code).
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT']);
// A connection was made and then lost. Node reports a peer that closes before
// answering as ECONNRESET "socket hang up", and a body cut short as "aborted".
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

export function failureOfError(error: unknown): FailureKind {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && CONNECT_CODES.has(code)) return 'connect';
  if (code !== undefined && RESET_CODES.has(code)) return 'reset';
  return 'other';
}

/** The failure a status stands for, or undefined when 2xx/3xx. */
export function failureOfStatus(status: number): FailureKind | undefined {
  if (status >= 500) return 'http5xx';
  if (status >= 400) return 'http4xx';
  if (status >= 200) return undefined;
  return 'other';
}
