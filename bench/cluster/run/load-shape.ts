import type { LoadOptions } from '../../../harness/load/load-generator.ts';
import type { BenchOptions, Connection } from './options.ts';

export interface LoadShape {
  rate: number;
  connections: number;
  connection: Connection;
  timeoutMs: number;
}

const TIMEOUT_MS = 5000;

export function loadShape(options: BenchOptions, scenarioConnection: Connection): LoadShape {
  return { rate: options.rate, connections: options.connections, connection: options.connection ?? scenarioConnection, timeoutMs: TIMEOUT_MS };
}

/** Load at HAProxy's published port on 127.0.0.1, and nowhere else. */
export function loadOptions(httpPort: number, shape: LoadShape): LoadOptions {
  return {
    url: `http://127.0.0.1:${httpPort}/`,
    rate: shape.rate,
    connections: shape.connections,
    keepAlive: shape.connection === 'keep-alive',
    timeoutMs: shape.timeoutMs,
  };
}

export function describeShape(shape: LoadShape): string {
  const connection = shape.connection === 'keep-alive' ? 'keep-alive' : 'new conn/req';
  return `${shape.rate}/s, ${shape.connections} conns, ${connection}`;
}
