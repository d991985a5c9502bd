import type { LineSink } from './stderr-lines.ts';

export type LogValue = string | number | boolean | undefined;
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, LogValue>) => void;

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  // Quote anything that would split the line or the key=value pairs; JSON escaping also neutralises newlines.
  return /^[A-Za-z0-9_.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}

/** One line per action, `key=value`, so `docker logs ha | grep event=member-join` just works. */
export function createLog(stream: LineSink, component: string): Log {
  return (level, msg, fields = {}) => {
    const all: Record<string, LogValue> = { level, component, msg, ...fields };
    const pairs = Object.entries(all)
      .filter((pair): pair is [string, string | number | boolean] => pair[1] !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value)}`);
    stream.write(`${pairs.join(' ')}\n`);
  };
}
