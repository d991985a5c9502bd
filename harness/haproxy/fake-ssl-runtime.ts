// A stand-in for the certificate half of HAProxy's runtime API: the
// certificate store, open transactions and crt-lists, answered the way
// HAProxy 3.0 answers (measured in the ha image). Unit tests pass its
// `command` where the certificates service takes the admin socket.

export class FakeSslRuntime {
  /** path → the PEM HAProxy serves under that name. */
  readonly store = new Map<string, string>();
  /** crt-list path → certificate paths in it. */
  readonly crtLists = new Map<string, string[]>();
  readonly commands: string[] = [];
  /** Commands answered with this text instead, by prefix: a way to make HAProxy refuse one. */
  readonly refusals = new Map<string, string>();
  private readonly transactions = new Map<string, string>();

  constructor(crtList: string) {
    this.crtLists.set(crtList, []);
  }

  readonly command = async (line: string): Promise<string> => {
    this.commands.push(line);
    for (const [prefix, answer] of this.refusals) if (line.startsWith(prefix)) return `${answer}\n\n`;
    const [first = '', ...payload] = line.split('\n');
    const words = first.trim().split(/\s+/);
    const path = words[3] ?? '';
    switch (words.slice(0, 3).join(' ')) {
      case 'new ssl cert':
        if (this.store.has(path)) return `Certificate '${path}' already exists!\n\n`;
        this.store.set(path, '');
        return `New empty certificate store '${path}'!\n\n`;
      case 'set ssl cert': {
        if (!this.store.has(path)) return `Can't replace a certificate which is not referenced by the configuration!\nCan't update ${path}!\n\n`;
        while (payload.at(-1) === '') payload.pop();
        // HAProxy's payload ends at the first empty line: what follows would be read as commands.
        if (payload.includes('')) return `Unknown command: what follows an empty line in the payload\n\n`;
        const pem = payload.join('\n');
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) return `unable to load certificate from file '${path}': no start line.\nCan't load the payload\nCan't update ${path}!\n\n`;
        const existed = this.transactions.has(path);
        this.transactions.set(path, pem);
        return `Transaction ${existed ? 'updated' : 'created'} for certificate ${path}!\n\n`;
      }
      case 'commit ssl cert': {
        const pem = this.transactions.get(path);
        if (pem === undefined) return 'No ongoing transaction!\n\n';
        if (!/PRIVATE KEY-----/.test(pem)) return `inconsistencies between private key and certificate loaded '${path}'.\nCan't commit ${path}!\n\n`;
        this.transactions.delete(path);
        this.store.set(path, pem);
        return `Committing ${path}\nSuccess!\n\n`;
      }
      case 'abort ssl cert':
        this.transactions.delete(path);
        return `Transaction aborted for certificate '${path}'!\n\n`;
      case 'add ssl crt-list': {
        const list = this.crtLists.get(path);
        const certificate = words[4] ?? '';
        if (!list) return `Can't find the crt-list '${path}'\n\n`;
        if (!this.store.get(certificate)) return `Can't find the certificate '${certificate}'\n\n`;
        list.push(certificate);
        return `Inserting certificate '${certificate}' in crt-list '${path}'.\nSuccess!\n\n`;
      }
      case 'del ssl crt-list': {
        const list = this.crtLists.get(path) ?? [];
        const certificate = words[4] ?? '';
        if (!list.includes(certificate)) return `Can't find '${certificate}' in crt-list '${path}'!\n\n`;
        list.splice(list.indexOf(certificate), 1);
        return `Entry '${certificate}' deleted in crtlist '${path}'!\n\n`;
      }
      case 'show ssl crt-list': {
        const list = this.crtLists.get(path);
        if (!list) return `didn't find crt-list '${path}'\n\n`;
        return `# ${path}\n${list.map((c) => `${c}\n`).join('')}\n`;
      }
      case 'del ssl cert':
        if ([...this.crtLists.values()].some((l) => l.includes(path))) return `certificate '${path}' in use, can't be deleted!\n\n`;
        this.store.delete(path);
        return `Certificate '${path}' deleted!\n\n`;
      default:
        return `Unknown command: '${words[0]}'\n\n`;
    }
  };

  /** What the bind serves: the crt-list's certificates and their bytes. */
  served(crtList: string): Map<string, string> {
    return new Map((this.crtLists.get(crtList) ?? []).map((path) => [path, this.store.get(path) ?? '']));
  }
}
