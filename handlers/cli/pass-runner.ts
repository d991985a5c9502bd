import { Haproxy } from '../haproxy/haproxy.ts';
import type { AdminCommand } from '../haproxy/admin-socket.ts';
import { listAliveMembers } from '../members/serf-members.ts';
import { SerfRpc } from '../members/serf-rpc.ts';
import { createLog, type Log, type LogValue } from '../os/log.ts';
import type { RunCommand } from '../os/run-command.ts';
import type { LineSink } from '../os/stderr-lines.ts';
import { type Outcome, type Pass, runPass } from '../pipeline/pipeline.ts';
import type { Settings } from './settings.ts';

/** The process as a pass sees it, so tests can pass their own. */
export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: LineSink;
  /** Log lines. */
  stderr: LineSink;
  run: RunCommand;
  now: () => Date;
  /** HAProxy's runtime API; by default a connection to settings.adminSocket. */
  admin?: AdminCommand;
}

/** How a pass ended: whether it did all it was asked, and which members it refused. */
export interface PassReport {
  ok: boolean;
  rejected: ReadonlySet<string>;
  /** The agent had joined its cluster: the pool installed is the cluster's. */
  joined: boolean;
}

export interface PassRunner {
  log: Log;
  /** Runs one pass and logs its done line (with `fields` added), or its one error line. */
  run(pass: Pass, fields?: Record<string, LogValue>): Promise<PassReport>;
  /** Waits for the leavers still draining, then lets go of the agent's RPC. */
  close(): Promise<void>;
}

function doneFields(pass: Pass, outcome: Outcome, fields: Record<string, LogValue>): Record<string, LogValue> {
  const { haproxy } = outcome;
  const change = haproxy !== 'dry-run' && 'runtime' in haproxy ? haproxy : undefined;
  return {
    event: pass,
    ...fields,
    applied: outcome.verdict.changes.length,
    rejected: outcome.verdict.rejected.length,
    ignored: outcome.verdict.ignored,
    backends: outcome.servers,
    store_changes: outcome.storeChanges,
    config: haproxy === 'dry-run' ? 'dry-run' : 'starting' in haproxy ? haproxy.starting : haproxy.config,
    runtime: change?.runtime ?? 'off',
    runtime_added: change?.runtime === 'applied' ? change.added : undefined,
    runtime_removed: change?.runtime === 'applied' ? change.removed : undefined,
    reload: change?.reloaded ? 'yes' : 'no',
  };
}

/** What runs passes for one process: the settings read once, the agent's RPC and HAProxy's drains kept across passes. */
export function passRunner(entry: string, settings: Settings, io: Io): PassRunner {
  const log = createLog(io.stderr, entry);
  const rpc = settings.membersRpc === undefined ? undefined : new SerfRpc(settings.membersRpc, io.env.SERF_RPC_AUTH);
  const members = rpc ? () => rpc.members() : () => listAliveMembers(settings.membersCmd, io.run);
  const haproxy = new Haproxy(settings, io.run, log, io.admin);
  const ctx = { ...settings, haproxy, members, stdout: io.stdout, now: io.now, log };
  return {
    log,
    async run(pass, fields = {}) {
      // hrtime, not performance.now(): the perf_hooks it loads cost a run about 0.6 ms.
      const started = process.hrtime.bigint();
      const duration = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
      try {
        const outcome = await runPass(pass, ctx);
        log('info', 'done', { ...doneFields(pass, outcome, fields), duration_ms: duration() });
        return { ok: outcome.verdict.rejected.length === 0, rejected: outcome.verdict.rejectedNames, joined: outcome.agentJoined };
      } catch (error) {
        log('error', (error as Error).message, { event: pass, ...fields, duration_ms: duration() });
        return { ok: false, rejected: new Set(), joined: false };
      }
    },
    async close() {
      await haproxy.drains?.settled();
      rpc?.close();
    },
  };
}
