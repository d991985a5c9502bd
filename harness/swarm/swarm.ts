import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, dockerOk } from '../docker/docker.ts';
import { ensureImages, HA_IMAGE, WEBAPP_IMAGE } from '../docker/images.ts';

const LABEL = 'serf-lb-swarm';
const NODE_IMAGE = `lbswarm-node:${process.env.E2E_IMAGE_TAG || 'test'}`;
// From the repository root, like the project's own images (tests run bundled elsewhere).
const NODE_DOCKERFILE = join(process.cwd(), 'harness/swarm/swarm-node.Dockerfile');

// What a Docker engine needs to run inside a container where --privileged is
// refused: every capability but SYS_RESOURCE, no seccomp/AppArmor filter, the
// host's cgroup tree writable, and a fresh /run for its sockets.
const ENGINE_IN_CONTAINER = [
  '--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE',
  '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--security-opt', 'systempaths=unconfined',
  '--cgroupns', 'host', '-v', '/sys/fs/cgroup:/sys/fs/cgroup:rw', '--tmpfs', '/run',
];

export interface NodeSpec {
  /** Short name: host name of the node and its name in `docker node ls`. */
  name: string;
  /** Ports of the node published on 127.0.0.1 (on free host ports), e.g. the ha task's 80 and 1936. */
  publish: number[];
}

export interface NodeCliOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A real multi-node Docker Swarm on this machine: each node is a Docker
 * engine in a container of the host's engine (Docker in Docker), all on one
 * bridge network of their own. Nothing touches the host engine's own swarm
 * state; cleanup() (also run when the process exits early) removes the node
 * containers, their volumes and the network.
 */
export class Swarm {
  readonly prefix = `lbswarm-${randomBytes(3).toString('hex')}`;
  readonly network = `${this.prefix}-net`;
  readonly manager: string;
  private cleaned = false;
  private readonly exitHook = () => this.cleanupSync();

  private constructor(readonly nodes: readonly NodeSpec[]) {
    this.manager = nodes[0]!.name;
  }

  /** Starts the node containers, forms the swarm (the first node manages it) and loads the project's images into every node. */
  static async create(nodes: NodeSpec[]): Promise<Swarm> {
    await ensureImages();
    await dockerOk(['build', '-q', '-t', NODE_IMAGE, '-'], { input: readFileSync(NODE_DOCKERFILE, 'utf8'), timeoutMs: 900_000 });
    const swarm = new Swarm(nodes);
    swarm.guardExit();
    await dockerOk(['network', 'create', '--label', `${LABEL}=${swarm.prefix}`, swarm.network]);
    await Promise.all(nodes.map((node) => swarm.startNode(node)));
    await Promise.all(nodes.map((node) => swarm.loadImages(node.name)));
    await swarm.form();
    return swarm;
  }

  container(node: string): string {
    return `${this.prefix}-${node}`;
  }

  /** Runs the docker CLI of a node, against that node's engine; `env` is that CLI's environment. */
  docker(node: string, args: readonly string[], options: NodeCliOptions = {}): Promise<string> {
    const input = options.input === undefined ? [] : ['-i'];
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    return dockerOk(['exec', ...input, ...env, this.container(node), 'docker', ...args], { input: options.input, timeoutMs: options.timeoutMs });
  }

  /** The host port on 127.0.0.1 where a node's `port` is published. */
  async hostPort(node: string, port: number): Promise<number> {
    const mapping = await dockerOk(['port', this.container(node), `${port}/tcp`]);
    return Number(mapping.trim().split('\n')[0]!.split(':').pop());
  }

  /** SIGKILL to a node's container: its engine and every task on it die at once, like a host losing power. */
  async killNode(node: string): Promise<void> {
    await dockerOk(['kill', this.container(node)]);
  }

  async cleanup(): Promise<void> {
    this.cleaned = true;
    process.off('exit', this.exitHook);
    const ids = (await dockerOk(['ps', '-aq', '--filter', `label=${LABEL}=${this.prefix}`])).split('\n').filter(Boolean);
    if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids]);
    await docker(['network', 'rm', this.network]);
  }

  private async startNode(node: NodeSpec): Promise<void> {
    const publish = node.publish.flatMap((port) => ['-p', `127.0.0.1::${port}`]);
    await dockerOk([
      'run', '-d', '--name', this.container(node.name), '--hostname', node.name,
      '--label', `${LABEL}=${this.prefix}`, '--network', this.network,
      ...ENGINE_IN_CONTAINER, ...publish, NODE_IMAGE,
    ]);
    const deadline = Date.now() + 60_000;
    while ((await docker(['exec', this.container(node.name), 'docker', 'info'])).code !== 0) {
      if (Date.now() > deadline) {
        const log = (await docker(['logs', '--tail', '5', this.container(node.name)])).stderr.trim().split('\n').join(' | ');
        throw new Error(`the Docker engine in node ${this.container(node.name)} did not answer within 60 s (it needs a host engine that allows the options in ENGINE_IN_CONTAINER, cgroups mounted at /sys/fs/cgroup and the overlay and vxlan kernel features): ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  // No registry: the images built on the host are copied into each node's engine.
  private loadImages(node: string): Promise<void> {
    const pipeline = `docker save "$1" "$2" | docker exec -i "$3" docker load -q`;
    return new Promise((resolve, reject) => {
      execFile('bash', ['-o', 'pipefail', '-c', pipeline, 'load', HA_IMAGE, WEBAPP_IMAGE, this.container(node)], { timeout: 600_000 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`loading the images into ${node} failed: ${String(stderr).trim() || error.message}`));
        else resolve();
      });
    });
  }

  private async form(): Promise<void> {
    const format = `{{(index .NetworkSettings.Networks "${this.network}").IPAddress}}`;
    const address = (await dockerOk(['inspect', '--format', format, this.container(this.manager)])).trim();
    await this.docker(this.manager, ['swarm', 'init', '--advertise-addr', address]);
    const token = (await this.docker(this.manager, ['swarm', 'join-token', '-q', 'worker'])).trim();
    for (const node of this.nodes.slice(1)) await this.docker(node.name, ['swarm', 'join', '--token', token, `${address}:2377`]);
  }

  // node:test runs `after` hooks when a test fails, but not when the process
  // is interrupted; an exit hook may only do synchronous work.
  private guardExit(): void {
    process.on('exit', this.exitHook);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }

  private cleanupSync(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${LABEL}=${this.prefix}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
    execFileSync('docker', ['network', 'rm', this.network], { stdio: 'ignore' });
  }
}
