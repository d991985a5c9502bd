import { randomBytes } from 'node:crypto';
import { docker, dockerOk } from './docker.ts';
import { ensureImages, HA_IMAGE, WEBAPP_IMAGE } from './images.ts';

export interface HaPorts {
  http: number;
  stats: number;
  /** Published by startHa (ha's 443); a stack that does not publish it has none. */
  https?: number;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Extra `docker run` arguments, placed before the image. */
  args?: string[];
  /** A command instead of the image's own (with args `--entrypoint`). */
  command?: string[];
  /** The ha container's CPU weight; HA_CPU_SHARES unless given. */
  cpuShares?: number;
}

const LABEL = 'serf-lb-e2e';

/**
 * The ha container's CPU weight, as compose.yaml gives it (`cpu_shares`):
 * Linux shares the CPU between containers by weight, 1024 each by default,
 * so the one container every request crosses would get a 51st of two cores
 * while 50 webapps start. Measured with 48 starting, 8 at a time, under 200
 * requests/s: client p95 2.08 s at 1024, 0.29 s at 16384. A weight only
 * counts while the CPU is contended.
 */
export const HA_CPU_SHARES = 16384;

/** Docker's own weight for a container that sets none. */
export const DOCKER_CPU_SHARES = 1024;

/**
 * One test's world: its own network and containers, all named and labelled
 * with a unique prefix, so parallel runs and leftovers never collide, and
 * cleanup() removes everything even when the test failed.
 */
export class Cluster {
  readonly prefix: string;
  readonly network: string;

  private constructor(prefix: string) {
    this.prefix = prefix;
    this.network = `${prefix}-net`;
  }

  /** `kind` starts every name, so `docker ps` tells a lab replay from a test. */
  static async create(kind = 'lbe2e'): Promise<Cluster> {
    await ensureImages();
    const cluster = new Cluster(`${kind}-${randomBytes(3).toString('hex')}`);
    await dockerOk(['network', 'create', '--label', `${LABEL}=${cluster.prefix}`, cluster.network]);
    return cluster;
  }

  /** The Docker name of a container of this cluster; `short` is also its host name and Serf node name. */
  container(short: string): string {
    return `${this.prefix}-${short}`;
  }

  private async run(short: string, image: string, alias: string, options: StartOptions, publish: string[]): Promise<void> {
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    await dockerOk([
      'run', '-d', '--name', this.container(short), '--hostname', short,
      '--label', `${LABEL}=${this.prefix}`, '--network', this.network, '--network-alias', alias,
      ...publish, ...env, ...(options.args ?? []), image, ...(options.command ?? []),
    ]);
  }

  /** Starts the HAProxy container; its ports are published on 127.0.0.1 only, on free host ports. */
  async startHa(options: StartOptions = {}, short = 'ha'): Promise<HaPorts> {
    await this.run(short, HA_IMAGE, 'ha', options, ['--cpu-shares', String(options.cpuShares ?? HA_CPU_SHARES), '-p', '127.0.0.1::80', '-p', '127.0.0.1::443', '-p', '127.0.0.1::1936']);
    return this.haPorts(short);
  }

  async haPorts(short = 'ha'): Promise<HaPorts> {
    const port = async (p: number) => Number((await dockerOk(['port', this.container(short), `${p}/tcp`])).trim().split('\n')[0]!.split(':').pop());
    return { http: await port(80), https: await port(443), stats: await port(1936) };
  }

  async startWebapp(short: string, options: StartOptions = {}): Promise<void> {
    await this.run(short, WEBAPP_IMAGE, 'webapp', options, []);
  }

  /** A Serf agent alone, from the webapp image, joining ha: a stranger on the network. */
  async startAgent(short: string, agentArgs: string[]): Promise<void> {
    await this.run(short, WEBAPP_IMAGE, short, { args: ['--entrypoint', 'serf'], command: ['agent', '-join', 'ha', ...agentArgs] }, []);
  }

  /** A container that does nothing but hold an address on the network. */
  async startIdle(short: string): Promise<void> {
    await this.run(short, WEBAPP_IMAGE, short, { args: ['--entrypoint', 'sleep'], command: ['infinity'] }, []);
  }

  async exec(short: string, command: string[], input?: string): Promise<string> {
    return dockerOk(['exec', ...(input === undefined ? [] : ['-i']), this.container(short), ...command], input === undefined ? {} : { input });
  }

  /** stdout and stderr of the container, where s6 sends every service's output. */
  async logs(short: string): Promise<string> {
    const result = await docker(['logs', this.container(short)]);
    return result.stdout + result.stderr;
  }

  async stop(short: string): Promise<void> {
    await dockerOk(['stop', this.container(short)]);
  }

  /** The container's address on this cluster's network. */
  async ip(short: string): Promise<string> {
    const format = `{{(index .NetworkSettings.Networks "${this.network}").IPAddress}}`;
    return (await dockerOk(['inspect', '--format', format, this.container(short)])).trim();
  }

  /** `docker inspect`'s State of a container. */
  async inspect(short: string): Promise<{ Running: boolean; ExitCode: number }> {
    return JSON.parse(await dockerOk(['inspect', '--format', '{{json .State}}', this.container(short)])) as { Running: boolean; ExitCode: number };
  }

  async restart(short: string): Promise<void> {
    await dockerOk(['restart', this.container(short)]);
  }

  async kill(short: string): Promise<void> {
    await dockerOk(['kill', this.container(short)]);
  }

  async cleanup(): Promise<void> {
    const ids = (await dockerOk(['ps', '-aq', '--filter', `label=${LABEL}=${this.prefix}`])).split('\n').filter(Boolean);
    if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids]);
    await docker(['network', 'rm', this.network]);
  }
}
