// A stand-in for HAProxy's runtime API, enough of it for the handlers: the
// servers of each backend and the commands the handlers send, answered the
// way HAProxy 3.0 answers them (measured in the ha image). Unit tests call
// it in place of the admin socket; `serveOn` puts it behind a real unix
// socket for runs of the bundled handlers.
import { createServer, type Server as NetServer } from 'node:net';

export interface FakeServer {
  backend: string;
  name: string;
  address: string;
  port: number;
  weight: number;
  args: string[];
  admin: 'maint' | 'ready' | 'drain';
  health: boolean;
  /** Connections in use; a test sets it to hold a drain. */
  inUse: number;
}

const HEADER = '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';
const CONN_HEADER = '# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]';

export class FakeRuntime {
  readonly servers = new Map<string, FakeServer>();
  /** Map files HAProxy loaded (by path), each key to its value: what `show map` lists. */
  readonly maps = new Map<string, Map<string, string>>();
  readonly commands: string[] = [];
  /** Each line as sent, several `;`-separated commands in one: what a connection carried. */
  readonly lines: string[] = [];
  /** Commands answered with this text instead, by prefix: a way to make HAProxy refuse one. */
  readonly refusals = new Map<string, string>();
  /** Called before each `show servers conn`, so a test can let connections finish as time passes. */
  onPoll: () => void = () => {};

  constructor(servers: Omit<FakeServer, 'args' | 'admin' | 'health' | 'inUse'>[] = []) {
    for (const s of servers) this.servers.set(`${s.backend}/${s.name}`, { ...s, args: [], admin: 'ready', health: true, inUse: 0 });
  }

  /** Like HAProxy's CLI: `;` separates commands, run in order, answers one after the other. */
  readonly command = async (line: string): Promise<string> => {
    this.lines.push(line);
    let answers = '';
    for (const one of line.split(';')) answers += await this.one(one.trim());
    return answers;
  };

  private async one(line: string): Promise<string> {
    this.commands.push(line);
    for (const [prefix, answer] of this.refusals) if (line.startsWith(prefix)) return `${answer}\n`;
    const words = line.trim().split(/\s+/);
    const id = words.find((w) => w.includes('/')) ?? '';
    const server = this.servers.get(id);
    const missing = `No such server.\n`;
    switch (words.slice(0, 2).join(' ')) {
      case 'show map':
      case 'add map':
      case 'set map':
      case 'del map':
        return this.map(words);
      case 'show servers':
        return words[2] === 'state' ? this.state(words[3]) : this.conn(words[3]);
      case 'add server': {
        if (server) return `Already exists a server with the same name in backend.\n`;
        const [backend, name] = id.split('/') as [string, string];
        const [, host, port] = /^\[?(.*?)\]?:(\d+)$/.exec(words[3] ?? '') ?? [];
        if (!host) return `Invalid address.\n`;
        const args = words.slice(4);
        const weight = args.lastIndexOf('weight');
        this.servers.set(id, { backend, name, address: host, port: Number(port), weight: weight === -1 ? 1 : Number(args[weight + 1]), args, admin: 'maint', health: false, inUse: 0 });
        return 'New server registered.\n\n';
      }
      case 'enable health':
        if (!server) return missing;
        server.health = true;
        return '\n';
      case 'enable server':
        if (!server) return missing;
        server.admin = 'ready';
        return '\n';
      case 'set server': {
        if (!server) return missing;
        if (words[3] === 'state') server.admin = words[4] as FakeServer['admin'];
        else if (words[3] === 'weight') server.weight = Number(words[4]);
        return '\n';
      }
      case 'shutdown sessions':
        if (!server) return missing;
        server.inUse = 0;
        return '\n';
      case 'del server':
        if (!server) return missing;
        if (server.admin !== 'maint') return 'Only servers in maintenance mode can be deleted.\n';
        if (server.inUse > 0) return 'Server still has connections attached to it, cannot remove it.\n';
        this.servers.delete(id);
        return 'Server deleted.\n\n';
      default:
        return `Unknown command: '${words[0]}'\n`;
    }
  }

  /** Like HAProxy: a file the config does not name is unknown; `add` of a key it has adds a second entry, which this refuses instead. */
  private map(words: string[]): string {
    const [verb, , file, key, value] = words;
    const entries = this.maps.get(file ?? '');
    if (!entries) return 'Unknown map identifier. Please use #<id> or <file>.\n';
    if (verb === 'show') return [...entries].map(([k, v], i) => `0x${(0x1000 + i).toString(16)} ${k} ${v}\n`).join('');
    if (key === undefined) return "'key' missing.\n";
    if (verb === 'del') return entries.delete(key) ? '\n' : 'Key not found.\n';
    if (value === undefined) return "'value' missing.\n";
    if (verb === 'add' && entries.has(key)) return 'fake: a second entry for one key\n';
    if (verb === 'set' && !entries.has(key)) return 'entry not found.\n';
    entries.set(key, value);
    return '\n';
  }

  names(backend = 'webapps'): string[] {
    return [...this.servers.values()].filter((s) => s.backend === backend).map((s) => s.name).sort();
  }

  private of(backend: string | undefined): FakeServer[] {
    return [...this.servers.values()].filter((s) => backend === undefined || s.backend === backend);
  }

  private state(backend: string | undefined): string {
    const admin = { ready: 0, maint: 1, drain: 8 } as const;
    const rows = this.of(backend).map((s, i) => `3 ${s.backend} ${i + 1} ${s.name} ${s.address} ${s.admin === 'maint' ? 0 : 2} ${admin[s.admin]} ${s.weight} ${s.weight} 1 6 3 1 6 0 0 0 - ${s.port} - 0 0 - - 0`);
    return ['1', HEADER, ...rows, ''].join('\n');
  }

  private conn(backend: string | undefined): string {
    this.onPoll();
    const rows = this.of(backend).map((s, i) => `${s.backend}/${s.name} 3/${i + 1} ${s.address} ${s.port} - 5000 ${s.inUse} ${s.inUse} 0 0 0 -1 0 0 0`);
    return [CONN_HEADER, ...rows, ''].join('\n');
  }

  /** Serves the fake on a unix socket, one command per connection like HAProxy's non-interactive mode. */
  serveOn(path: string): Promise<NetServer> {
    const server = createServer((socket) => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (!text.includes('\n')) return;
        void this.command(text.trim()).then((answer) => socket.end(answer));
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve(server));
    });
  }
}
