import { randomBytes } from 'node:crypto';
import { docker, dockerOk, type DockerResult } from './docker.ts';
import { aliveBackendNames, parseSerfMembers, type SerfMember } from '../observe/cluster-state.ts';

/** What compose.yaml reads from the environment besides ports and image tags: a test sets them itself. */
const STACK_OPTIONS = ['SERF_ENCRYPT_KEY', 'SERF_RPC_AUTH', 'SERF_INSECURE', 'STATS_AUTH', 'STICKY_SESSIONS', 'RECONCILE_INTERVAL', 'LB_BIND_ADDRESS', 'LB_HTTPS_REDIRECT', 'LB_HSTS', 'LB_CERTS_DIR'];

/**
 * The README's stack under a project name of its own, driven with
 * `docker compose` as a user drives it. Only the options a test passes are
 * set; ports are free ones on 127.0.0.1, so two stacks never collide.
 */
export class ComposeProject {
  readonly name: string;
  private readonly env: NodeJS.ProcessEnv;

  /** `overlays`: more compose files laid over compose.yaml (services of a test's own). */
  constructor(purpose: string, options: Record<string, string> = {}, private readonly overlays: readonly string[] = []) {
    this.name = `lbe2e-${purpose}-${randomBytes(3).toString('hex')}`;
    const env: NodeJS.ProcessEnv = { ...process.env, LB_HTTP_PORT: '0', LB_HTTPS_PORT: '0', LB_STATS_PORT: '0' };
    for (const option of STACK_OPTIONS) delete env[option];
    this.env = { ...env, ...options };
  }

  /** The webapp image compose builds (also used for strangers on the stack's network). */
  get webappImage(): string {
    return `serf-lb-webapp:${this.env.LB_IMAGE_TAG || 'latest'}`;
  }

  /** The ha image compose builds (keygen runs it too). */
  get haImage(): string {
    return `serf-lb-ha:${this.env.LB_IMAGE_TAG || 'latest'}`;
  }

  private args(args: readonly string[]): string[] {
    const files = [`${process.cwd()}/compose.yaml`, ...this.overlays].flatMap((file) => ['-f', file]);
    return ['compose', '-p', this.name, ...files, ...args];
  }

  run(args: readonly string[], timeoutMs = 900_000): Promise<string> {
    return dockerOk(this.args(args), { timeoutMs, env: this.env });
  }

  /** Like run() but never throws, for commands expected to fail. */
  attempt(args: readonly string[]): Promise<DockerResult> {
    return docker(this.args(args), { env: this.env });
  }

  up(webapps: number, build = true): Promise<string> {
    return this.run(['up', '-d', build ? '--build' : '--no-build', '--scale', `webapp=${webapps}`]);
  }

  /** The host port a service's container port is published on. */
  async port(service: string, containerPort: number): Promise<number> {
    return Number((await this.run(['port', service, String(containerPort)])).trim().split(':').pop());
  }

  /** `docker compose exec <service> serf members -format json`, as an operator runs it. */
  async serfMembers(service = 'ha'): Promise<SerfMember[]> {
    return parseSerfMembers(await this.run(['exec', '-T', service, 'serf', 'members', '-format', 'json']));
  }

  async aliveBackends(): Promise<string[]> {
    return aliveBackendNames(await this.serfMembers());
  }

  async logs(service: string): Promise<string> {
    return this.run(['logs', '--no-color', service]);
  }

  /** The Docker name of the n-th container of a service (1-based, as compose numbers them). */
  async container(service: string, index = 1): Promise<string> {
    const labels = [`project=${this.name}`, `service=${service}`, `container-number=${index}`];
    const name = (await dockerOk(['ps', '-a', '--format', '{{.Names}}', ...labels.flatMap((l) => ['--filter', `label=com.docker.compose.${l}`])])).trim();
    if (!name) throw new Error(`no container ${service} #${index} in compose project ${this.name}`);
    return name;
  }

  /** The network the stack's containers share. */
  async network(): Promise<string> {
    const ha = await this.container('ha');
    return (await dockerOk(['inspect', '--format', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}', ha])).trim();
  }

  /** Removes the stack, its volumes (the generated keys) and anything `extra` named. */
  async down(...extra: string[]): Promise<void> {
    if (extra.length > 0) await docker(['rm', '-f', '-v', ...extra]);
    await docker(this.args(['down', '-v', '--remove-orphans', '-t', '5']), { env: this.env });
  }
}
