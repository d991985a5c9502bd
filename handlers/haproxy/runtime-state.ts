/** A server as the running HAProxy has it, from `show servers state <backend>`. */
export interface RuntimeServer {
  name: string;
  address: string;
  port: number;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  opState: number;
  /** srv_admin_state bits: 0x01 forced maintenance, 0x08 forced drain, and others set by tracking or DNS. */
  adminState: number;
  weight: number;
}

export class RuntimeStateError extends Error {}

/**
 * Parses `show servers state` (format version 1: a version line, a `#`
 * header naming the columns, then one line per server). Columns are found by
 * name, so a later HAProxy adding columns does not shift them.
 */
export function parseServersState(text: string): RuntimeServer[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== '1') throw new RuntimeStateError(`expected 'show servers state' format 1, got ${JSON.stringify(lines[0] ?? '')}`);
  const column = columnsOf(lines[1], 'show servers state');
  const at = { name: column('srv_name'), address: column('srv_addr'), port: column('srv_port'), op: column('srv_op_state'), admin: column('srv_admin_state'), weight: column('srv_uweight') };
  return lines.slice(2).map((line) => {
    const fields = line.split(' ');
    return {
      name: fields[at.name]!,
      address: fields[at.address]!,
      port: Number(fields[at.port]),
      opState: Number(fields[at.op]),
      adminState: Number(fields[at.admin]),
      weight: Number(fields[at.weight]),
    };
  });
}

/**
 * Where each named column of a `# name name ...` header line stands, so a
 * later HAProxy adding columns does not shift them.
 */
function columnsOf(header: string | undefined, command: string): (name: string) => number {
  if (!header?.startsWith('#')) throw new RuntimeStateError(`no column header in '${command}': ${JSON.stringify(header ?? '')}`);
  const columns = header.replace(/^#\s*/, '').split(' ');
  return (name) => {
    const at = columns.indexOf(name);
    if (at === -1) throw new RuntimeStateError(`'${command}' has no ${name} column`);
    return at;
  };
}

/** Connections each server of `backend` is using now, from `show servers conn` (its used_cur column). */
export function parseConnectionsInUse(text: string, backend: string): Map<string, number> {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const column = columnsOf(lines[0], `show servers conn ${backend}`);
  const at = { id: column('bkname/svname'), used: column('used_cur') };
  const inUse = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const fields = line.split(' ');
    inUse.set(fields[at.id]!.slice(backend.length + 1), Number(fields[at.used]));
  }
  return inUse;
}

/** HAProxy's answer to a command that did what was asked: empty, or one of its success sentences. */
export function succeeded(answer: string): boolean {
  const text = answer.trim();
  return text === '' || /^(New server registered\.|Server deleted\.)$/.test(text);
}
