export interface Settings {
  port: number;
  serverName: string;
  drainQuietMs: number;
  drainMaxMs: number;
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

function integerFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) {
    throw new SettingsError(`expected ${name} to be an integer 0..${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function serverNameFrom(env: NodeJS.ProcessEnv, fallback: string): string {
  const name = env.SERVER_NAME || fallback;
  // It goes into a header on every response: a bad character would fail each one, so fail once, here.
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw new SettingsError(`expected SERVER_NAME to be printable ASCII without spaces, got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The web app's settings from its environment; `hostname` names the server when SERVER_NAME is unset. */
export function readSettings(env: NodeJS.ProcessEnv, hostname: string): Settings {
  const hour = 3_600_000;
  return {
    port: integerFrom(env, 'PORT', 3000, 65535),
    serverName: serverNameFrom(env, hostname),
    drainQuietMs: integerFrom(env, 'DRAIN_QUIET_MS', 1500, hour),
    drainMaxMs: integerFrom(env, 'DRAIN_MAX_MS', 8000, hour),
  };
}
