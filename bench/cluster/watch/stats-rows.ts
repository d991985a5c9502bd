/** One server of the webapps backend as HAProxy's stats CSV shows it. */
export interface ServerRow {
  /** Its name in HAProxy: ours are the Serf node names, DNS discovery's are slots (web1..web60). */
  server: string;
  /** host:port, or empty while a DNS slot has no address. */
  address: string;
  status: string;
}

/** The server rows of `backend` in the stats page's CSV (`/;csv`); throws on a CSV without the columns. */
export function serverRows(csv: string, backend = 'webapps'): ServerRow[] {
  const [header = '', ...lines] = csv.trim().split('\n');
  const columns = header.replace(/^#\s*/, '').split(',');
  const [px, sv, status, addr] = ['pxname', 'svname', 'status', 'addr'].map((c) => columns.indexOf(c));
  if ([px, sv, status, addr].includes(-1)) throw new Error(`Expected HAProxy's stats CSV with pxname, svname, status and addr columns, got \`${header.slice(0, 80)}\``);
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells[px!] === backend && cells[sv!] !== 'BACKEND' && cells[sv!] !== 'FRONTEND')
    .map((cells) => ({ server: cells[sv!]!, address: cells[addr!] ?? '', status: cells[status!] ?? '' }));
}

/** The host of `host:port` (IPv6 in brackets or not); empty for an empty address. */
export function hostOf(address: string): string {
  const bracketed = /^\[(.*)\]:\d+$/.exec(address);
  if (bracketed) return bracketed[1]!;
  const colon = address.lastIndexOf(':');
  return colon === -1 ? address : address.slice(0, colon);
}
