import { createServer, type AddressInfo, type Socket } from 'node:net';
import { MsgpackStream } from '../../handlers/members/msgpack-decode.ts';
import { pack, type Packable } from '../../handlers/members/msgpack-encode.ts';

/** A stand-in for a Serf agent's RPC: handshake, auth with one token, and members; anything else is unsupported. */
export interface FakeSerfRpc {
  /** host:port, as --members-rpc takes it. */
  address: string;
  /** Every command asked, in order, over every connection. */
  commands: string[];
  connections: number;
  /** The Members answer, as Go's agent writes it (Addr a byte string). */
  members: Packable[];
  /** While set, a 'members' request drops its connection instead of answering. */
  dropOnMembers: boolean;
  close: () => void;
}

export async function startFakeSerfRpc(token: string, members: Packable[]): Promise<FakeSerfRpc> {
  const sockets = new Set<Socket>();
  const agent: FakeSerfRpc = { address: '', commands: [], connections: 0, members, dropOnMembers: false, close: () => {} };
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
          const ok = bodyOf.command !== 'auth' || (value as { AuthKey?: unknown }).AuthKey === token;
          answer(bodyOf.seq, ok ? '' : 'Invalid authentication token');
          bodyOf = undefined;
          continue;
        }
        const { Command: command, Seq: seq } = value as { Command: string; Seq: number };
        agent.commands.push(command);
        if (command === 'handshake' || command === 'auth') bodyOf = { command, seq };
        else if (command !== 'members') answer(seq, 'Unsupported command');
        else if (agent.dropOnMembers) socket.destroy();
        else answer(seq, '', { Members: agent.members });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  agent.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent.close = () => {
    for (const s of sockets) s.destroy();
    server.close();
  };
  return agent;
}
