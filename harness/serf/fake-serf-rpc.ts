import { createServer, type AddressInfo, type Socket } from 'node:net';
import { MsgpackStream, type Unpacked } from '../../handlers/members/msgpack-decode.ts';
import { pack, type Packable } from '../../handlers/members/msgpack-encode.ts';

/**
 * A stand-in for a Serf agent's RPC: handshake, auth with one token, members,
 * and what the kit's serf-announce asks (tags, join, event); anything else is
 * unsupported.
 */
export interface FakeSerfRpc {
  /** host:port, as --members-rpc takes it. */
  address: string;
  /** Every command asked, in order, over every connection. */
  commands: string[];
  /** The body of every request that has one (handshake, auth, tags, join, event), in order. */
  bodies: { command: string; body: Unpacked }[];
  connections: number;
  /** The Members answer, as Go's agent writes it (Addr a byte string). */
  members: Packable[];
  /** While set, a 'members' request drops its connection instead of answering. */
  dropOnMembers: boolean;
  /** The next this many joins are answered with an error, as when no host named answers. */
  joinRefusals: number;
  /** The next request of this command gets no answer, its connection left open: a wedged agent. */
  silentOn: string | undefined;
  close: () => void;
}

const WITH_BODY = new Set(['handshake', 'auth', 'tags', 'join', 'event']);

/** On `port` when given (0: any free one). */
export async function startFakeSerfRpc(token: string, members: Packable[], port = 0): Promise<FakeSerfRpc> {
  const sockets = new Set<Socket>();
  const agent: FakeSerfRpc = { address: '', commands: [], bodies: [], connections: 0, members, dropOnMembers: false, joinRefusals: 0, silentOn: undefined, close: () => {} };
  const server = createServer((socket) => {
    agent.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const received = new MsgpackStream();
    // A handshake or auth header is followed by its body; the answer waits for it.
    let bodyOf: { command: string; seq: number } | undefined;
    const answer = (seq: number, error = '', body?: Packable) =>
      socket.write(Buffer.concat([pack({ Seq: seq, Error: error }), ...(body === undefined ? [] : [pack(body)])]));
    socket.on('data', (chunk: Buffer) => {
      for (const value of received.push(chunk)) {
        if (bodyOf) {
          const { command, seq } = bodyOf;
          bodyOf = undefined;
          agent.bodies.push({ command, body: value });
          if (agent.silentOn === command) {
            agent.silentOn = undefined;
            continue;
          }
          if (command === 'auth') answer(seq, (value as { AuthKey?: unknown }).AuthKey === token ? '' : 'Invalid authentication token');
          else if (command !== 'join') answer(seq);
          else if (agent.joinRefusals === 0) answer(seq, '', { Num: 1 });
          else {
            agent.joinRefusals--;
            answer(seq, 'no host answered', { Num: 0 });
          }
          continue;
        }
        const { Command: command, Seq: seq } = value as { Command: string; Seq: number };
        agent.commands.push(command);
        if (WITH_BODY.has(command)) bodyOf = { command, seq };
        else if (command !== 'members') answer(seq, 'Unsupported command');
        else if (agent.dropOnMembers) socket.destroy();
        else answer(seq, '', { Members: agent.members });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  agent.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent.close = () => {
    for (const s of sockets) s.destroy();
    server.close();
  };
  return agent;
}
