import { connect, type Socket } from 'node:net';
import { asMap, MsgpackStream, type Unpacked } from './msgpack-decode.ts';
import { pack, type Packable } from './msgpack-encode.ts';
import { type AgentView, MembersError, type SerfMember, viewOf } from './serf-members.ts';

const TIMEOUT_MS = 5000;

interface Pending {
  command: string;
  withBody: boolean;
  resolve: (body: Unpacked) => void;
  reject: (error: Error) => void;
}

/** host:port, IPv6 in brackets, as the serf CLI's -rpc-addr takes it. */
function hostAndPort(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  if (!match) throw new MembersError(`serf RPC address ${JSON.stringify(address)} is not host:port`);
  return { host: match[1] ?? match[2]!, port: Number(match[3]) };
}

/** An address as Go's net.IP holds it (4 or 16 bytes), written as Go prints it. */
export function ipText(bytes: Buffer): string {
  const v4 = bytes.length === 4 ? bytes : bytes.length === 16 && bytes.subarray(0, 12).equals(V4_IN_V6) ? bytes.subarray(12) : undefined;
  if (v4) return [...v4].join('.');
  if (bytes.length !== 16) return '';
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(2 * i).toString(16));
  // WHATWG's IPv6 serializer compresses the longest run of zero groups, as Go's does.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
const V4_IN_V6 = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

/**
 * A client of the local Serf agent's RPC (MessagePack over TCP, the protocol
 * the serf CLI speaks), kept connected: reading the members over it takes a
 * round trip, where running `serf members` starts a Go program (about 20 ms
 * in the ha image). A broken or timed-out connection fails what is waiting
 * on it and is made again by the next request.
 */
export class SerfRpc {
  private socket: Socket | undefined;
  private received = new MsgpackStream();
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** The seq whose body is the next value on the wire, after its header. */
  private bodyOf: number | undefined;

  constructor(
    private readonly address: string,
    private readonly authKey: string | undefined,
  ) {}

  /** The agent's members, alive or not, as `serf members` lists them. */
  async members(): Promise<AgentView> {
    const body = await this.request('members', undefined, true);
    const members = asMap(body)?.Members;
    if (!Array.isArray(members)) throw new MembersError('serf RPC members answer has no Members array');
    const lowered = members.map((m) => {
      const member = asMap(m);
      return member ? { name: member.Name, addr: member.Addr, tags: member.Tags, status: member.Status } : m;
    });
    return viewOf(lowered, (m: SerfMember) => (Buffer.isBuffer(m.addr) ? ipText(m.addr) : typeof m.addr === 'string' ? m.addr : ''));
  }

  close(): void {
    this.fail(new MembersError(`serf RPC ${this.address}: closed`));
  }

  private request(command: string, body: Packable | undefined, withBody: boolean): Promise<Unpacked> {
    const socket = this.socket ?? this.open();
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new MembersError(`serf RPC ${this.address}: no answer to ${command} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      const settle = <T>(then: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        this.pending.delete(seq);
        then(value);
      };
      this.pending.set(seq, { command, withBody, resolve: settle(resolve), reject: settle(reject) });
      socket.write(body === undefined ? pack({ Command: command, Seq: seq }) : Buffer.concat([pack({ Command: command, Seq: seq }), pack(body)]));
    });
  }

  private open(): Socket {
    const { host, port } = hostAndPort(this.address);
    const socket = connect({ host, port });
    this.socket = socket;
    this.received = new MsgpackStream();
    this.bodyOf = undefined;
    socket.setNoDelay(true);
    // A connection already given up on says nothing about the one after it.
    const current = () => this.socket === socket;
    socket.on('data', (chunk: Buffer) => current() && this.onData(chunk));
    socket.on('error', (error) => current() && this.fail(new MembersError(`serf RPC ${this.address}: ${error.message}`)));
    socket.on('close', () => current() && this.fail(new MembersError(`serf RPC ${this.address}: connection closed`)));
    // Asked first, answered in order: the agent takes a client's requests one at a time.
    void this.request('handshake', { Version: 1 }, false).catch(() => {});
    if (this.authKey) void this.request('auth', { AuthKey: this.authKey }, false).catch(() => {});
    return socket;
  }

  private onData(chunk: Buffer): void {
    let values: Unpacked[];
    try {
      values = this.received.push(chunk);
    } catch (error) {
      this.fail(new MembersError(`serf RPC ${this.address}: ${(error as Error).message}`));
      return;
    }
    for (const value of values) {
      if (this.bodyOf !== undefined) {
        this.pending.get(this.bodyOf)?.resolve(value);
        this.bodyOf = undefined;
        continue;
      }
      const header = asMap(value) ?? {};
      const seq = typeof header.Seq === 'number' ? header.Seq : -1;
      const waiting = this.pending.get(seq);
      if (!waiting) {
        this.fail(new MembersError(`serf RPC ${this.address}: an answer to no request (seq ${seq})`));
        return;
      }
      if (typeof header.Error === 'string' && header.Error !== '') {
        // Whether a body follows an error is the agent's affair: start afresh rather than guess.
        this.fail(new MembersError(`serf RPC ${this.address}: ${waiting.command}: ${header.Error}`));
        return;
      }
      if (waiting.withBody) this.bodyOf = seq;
      else waiting.resolve(null);
    }
  }

  /** Fails everything waiting and drops the connection; the next request opens a new one. */
  private fail(error: Error): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    for (const waiting of [...this.pending.values()]) waiting.reject(error);
  }
}
