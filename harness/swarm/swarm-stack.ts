import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HaPorts } from '../docker/cluster.ts';
import { WEBAPP_IMAGE } from '../docker/images.ts';
import { waitConverged, type ClusterView, type ContainerExec } from '../observe/cluster-state.ts';
import type { Swarm } from './swarm.ts';
import { waitFor } from '../docker/wait-for.ts';

const STACK = 'lb';
export const HA_SERVICE = `${STACK}_ha`;
export const WEBAPP_SERVICE = `${STACK}_webapp`;

/**
 * The repository's stack.yaml deployed on a Swarm, as the README tells a user
 * to: secrets created first, ha's nodes labelled, `docker stack deploy`.
 * Containers are named by node and service, since Swarm names them itself.
 */
export class SwarmStack implements ContainerExec {
  private constructor(
    private readonly swarm: Swarm,
    private readonly rpcToken: string,
  ) {}

  static async deploy(swarm: Swarm, haNodes: string[]): Promise<SwarmStack> {
    const manager = swarm.manager;
    for (const node of haNodes) await swarm.docker(manager, ['node', 'update', '--label-add', 'lb-ha=true', node]);
    const key = (await swarm.docker(manager, ['run', '--rm', '--entrypoint', 'serf', WEBAPP_IMAGE, 'keygen'])).trim();
    const rpcToken = randomBytes(18).toString('base64url');
    await swarm.docker(manager, ['secret', 'create', 'serf_encrypt_key', '-'], { input: `${key}\n` });
    await swarm.docker(manager, ['secret', 'create', 'serf_rpc_auth', '-'], { input: `${rpcToken}\n` });
    const stackFile = readFileSync(join(process.cwd(), 'stack.yaml'), 'utf8');
    // The node's CLI reads the stack file from stdin and fills in the variables from its environment.
    const env = { LB_IMAGE_TAG: WEBAPP_IMAGE.split(':')[1]!, LB_HTTP_PORT: '80', LB_STATS_PORT: '1936' };
    await swarm.docker(manager, ['stack', 'deploy', '-c', '-', STACK], { input: stackFile, env });
    return new SwarmStack(swarm, rpcToken);
  }

  /** Ids of the running containers of a service on one node; a task's host name, and so its Serf node name, is its container id. */
  async containers(node: string, service: string): Promise<string[]> {
    const ids = await this.swarm.docker(node, ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`, '--filter', 'status=running']);
    return ids.split('\n').filter(Boolean).sort();
  }

  /** Runs a command in the ha task on `node` (the serf CLI gets the RPC token). */
  async exec(node: string, command: string[]): Promise<string> {
    const [ha] = await this.containers(node, HA_SERVICE);
    if (ha === undefined) throw new Error(`no running ha task on ${node}`);
    return this.swarm.docker(node, ['exec', '-e', `SERF_RPC_AUTH=${this.rpcToken}`, ha, ...command]);
  }

  async haPorts(node: string): Promise<HaPorts> {
    return { http: await this.swarm.hostPort(node, 80), stats: await this.swarm.hostPort(node, 1936) };
  }

  /** Webapp container ids per node, over the nodes given (a dead node cannot be asked). */
  async webappsByNode(nodes: readonly string[]): Promise<Record<string, string[]>> {
    const entries = await Promise.all(nodes.map(async (node) => [node, await this.containers(node, WEBAPP_SERVICE)] as const));
    return Object.fromEntries(entries);
  }

  /** `docker service scale`, `docker service update`: run on the manager, waiting for Swarm to converge. */
  service(args: string[]): Promise<string> {
    return this.swarm.docker(this.swarm.manager, ['service', ...args], { timeoutMs: 600_000 });
  }

  /**
   * Waits until `replicas` webapp containers run on `nodes` and every ha
   * (on `haNodes`) agrees on exactly them: its /nodes, haproxy.cfg, the
   * servers UP in its stats and its Serf members.
   */
  async waitConverged(nodes: readonly string[], haNodes: readonly string[], replicas: number, timeoutMs = 240_000): Promise<{ webapps: string[]; views: ClusterView[] }> {
    const webapps = await waitFor(
      `${replicas} running webapp tasks on ${nodes.join(', ')}`,
      async () => Object.values(await this.webappsByNode(nodes)).flat().sort(),
      (ids) => ids.length === replicas,
      timeoutMs,
    );
    const views = await Promise.all(haNodes.map(async (node) => waitConverged(this, await this.haPorts(node), webapps, timeoutMs, node)));
    return { webapps, views };
  }
}
