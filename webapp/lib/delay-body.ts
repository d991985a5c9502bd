export const MAX_DELAY_MS = 60_000;

const EXPECTED = `expected {"delay": integer 0..${MAX_DELAY_MS}}`;

export class InvalidDelay extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'InvalidDelay';
  }
}

function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
  return JSON.stringify(shown);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `${quote(value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (${typeof value})`;
  return `an ${typeof value}`;
}

/** The delay in ms from a POST /delay body such as `{"delay": 250}`. */
export function parseDelayBody(body: string): number {
  if (body.trim() === '') throw new InvalidDelay(`${EXPECTED}, got an empty body`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidDelay(`${EXPECTED}, got ${quote(body)}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidDelay(`${EXPECTED}, got ${describe(parsed)}`);
  }
  if (!('delay' in parsed)) throw new InvalidDelay(`${EXPECTED}, got no "delay" field`);
  const delay = parsed.delay;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_MS) {
    throw new InvalidDelay(`expected "delay" to be an integer 0..${MAX_DELAY_MS}, got ${describe(delay)}`);
  }
  return delay;
}
