import { createServer, type Server } from 'node:net';

// `show servers state` format 1's columns, as HAProxy 3.0 prints them.
const STATE_COLUMNS = 'be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';
const CONN_COLUMNS = 'bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[1]';

interface FakeServer {
  address: string;
  port: string;
  weight: string;
}

/**
 * HAProxy's admin socket as far as a handler run uses it: it keeps the
 * servers of one backend, adds and deletes them, and answers every other
 * command with success. No connection is ever in use, so a drain ends at the
 * first look. This times the handler's runtime path without HAProxy, as the
 * rest of this bench times it without reloads (`true`).
 */
export class FakeAdminSocket {
  private readonly servers = new Map<string, FakeServer>();

  private constructor(private readonly server: Server, private readonly backend: string) {}

  static async listen(path: string, backend = 'webapps'): Promise<FakeAdminSocket> {
    const server = createServer();
    const fake = new FakeAdminSocket(server, backend);
    server.on('connection', (socket) => {
      let command = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        command += chunk;
        if (command.includes('\n')) socket.end(fake.answer(command.trim()));
      });
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
    return fake;
  }

  get size(): number {
    return this.servers.size;
  }

  answer(command: string): string {
    const [verb, noun, id = '', hostport = '', ...args] = command.split(/\s+/);
    const name = id.startsWith(`${this.backend}/`) ? id.slice(this.backend.length + 1) : '';
    if (verb === 'show' && noun === 'servers' && id === 'state') return this.state();
    if (verb === 'show' && noun === 'servers' && id === 'conn') return this.connections();
    if (verb === 'add' && noun === 'server') {
      const colon = hostport.lastIndexOf(':');
      const weight = args.includes('weight') ? args[args.indexOf('weight') + 1]! : '1';
      this.servers.set(name, { address: hostport.slice(0, colon), port: hostport.slice(colon + 1), weight });
      return 'New server registered.\n';
    }
    if (verb === 'del' && noun === 'server') {
      this.servers.delete(name);
      return 'Server deleted.\n';
    }
    return '\n';
  }

  private state(): string {
    const lines = [...this.servers].map(([name, s], i) =>
      `3 ${this.backend} ${i + 1} ${name} ${s.address} 2 0 ${s.weight} 1 0 6 3 2 6 0 0 0 - ${s.port} - 0 0 - - 0`);
    return ['1', `# ${STATE_COLUMNS}`, ...lines, ''].join('\n');
  }

  private connections(): string {
    const lines = [...this.servers].map(([name, s], i) => `${this.backend}/${name} 3/${i + 1} ${s.address} ${s.port} - 5000 0 0 0 0 0 -1 0 0`);
    return [`# ${CONN_COLUMNS}`, ...lines, ''].join('\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
