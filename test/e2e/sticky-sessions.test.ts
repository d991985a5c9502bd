// Sticky sessions, off by default, on with STICKY_SESSIONS=1: HAProxy's
// cookie names the container that answered and keeps a client there (also
// while that server drains); when it stops or dies, the client's next request
// succeeds on another one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../harness/docker/cluster.ts';
import { ComposeProject } from '../../harness/docker/compose.ts';
import { dockerOk, requireEngine } from '../../harness/docker/docker.ts';
import { processes } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const STICKY_COOKIE = 'lb_backend';

interface Answer {
  status: number;
  backend: string;
  views: number;
  setCookies: string[];
}

/** A browser's cookie jar, reduced to name=value: what it got in Set-Cookie, it sends back. */
class Client {
  readonly jar = new Map<string, string>();

  constructor(private readonly port: number, private readonly keepsCookies = true) {}

  async get(): Promise<Answer> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(`http://127.0.0.1:${this.port}/`, { headers: cookie ? { cookie } : {} });
    const setCookies = res.headers.getSetCookie();
    if (this.keepsCookies) {
      for (const line of setCookies) {
        const [pair] = line.split(';');
        const separator = pair!.indexOf('=');
        this.jar.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
      }
    }
    const body = res.status === 200 ? (await res.json()) as { views: number } : { views: 0 };
    return { status: res.status, backend: res.headers.get('x-backend') ?? '', views: body.views, setCookies };
  }

  async getMany(count: number): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let i = 0; i < count; i++) answers.push(await this.get());
    return answers;
  }
}

const backendsOf = (answers: Answer[]) => [...new Set(answers.map((a) => a.backend))];

/** One command on HAProxy's admin socket (a unix socket inside ha; the image has node, not socat). */
async function haproxyCommand(stack: ComposeProject, command: string): Promise<string> {
  const script = `const s = require('net').connect('/run/haproxy/admin.sock'); s.end(process.argv[1] + '\\n'); s.pipe(process.stdout);`;
  return stack.run(['exec', '-T', 'ha', 'node', '-e', script, command]);
}

async function startStack(stack: ComposeProject, webapps: number): Promise<number> {
  await requireEngine();
  await stack.up(webapps);
  await waitFor(`${webapps} alive backends`, () => stack.aliveBackends(), (b) => b.length === webapps);
  const port = await stack.port('ha', 80);
  await waitFor(`${webapps} backends answering`, async () => backendsOf(await new Client(port, false).getMany(webapps * 3)), (b) => b.length === webapps);
  return port;
}

describe('sticky sessions are off by default', () => {
  const stack = new ComposeProject('nosticky');
  let port: number;

  before(async () => {
    port = await startStack(stack, 2);
  });
  after(() => stack.down());

  test('a client with a cookie jar is sent round robin, and no sticky cookie is set', async () => {
    const answers = await new Client(port).getMany(6);
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(backendsOf(answers).length, 2);
    assert.ok(!answers.some((a) => a.setCookies.some((c) => c.startsWith(`${STICKY_COOKIE}=`))));
  });
});

describe('STICKY_SESSIONS=1', () => {
  const stack = new ComposeProject('sticky', { STICKY_SESSIONS: '1' });
  let port: number;
  const client = () => new Client(port);

  before(async () => {
    port = await startStack(stack, 3);
  });
  after(() => stack.down());

  test('20 requests with a cookie jar land on one backend, whose view counter reaches 20', async () => {
    const browser = client();
    const answers = await browser.getMany(20);
    assert.ok(answers.every((a) => a.status === 200));
    const backends = backendsOf(answers);
    assert.equal(backends.length, 1, JSON.stringify(backends));
    assert.deepEqual(answers.map((a) => a.views), Array.from({ length: 20 }, (_, i) => i + 1));
    // The cookie names the container (its host name, the server's name), set once.
    assert.equal(browser.jar.get(STICKY_COOKIE), backends[0]);
    assert.equal(answers.filter((a) => a.setCookies.some((c) => c.startsWith(`${STICKY_COOKIE}=`))).length, 1);
  });

  test('a draining server keeps its sticky clients and gets no new ones', async () => {
    const browser = client();
    const [first] = await browser.getMany(1);
    const pinned = first!.backend;
    await haproxyCommand(stack, `set server webapps/${pinned} state drain`);
    try {
      const sticky = await browser.getMany(5);
      assert.deepEqual(backendsOf(sticky), [pinned]);
      assert.equal(sticky.at(-1)!.views, 6);
      const newcomers = await new Client(port, false).getMany(6);
      assert.ok(newcomers.every((a) => a.status === 200));
      assert.ok(!backendsOf(newcomers).includes(pinned), JSON.stringify(backendsOf(newcomers)));
    } finally {
      await haproxyCommand(stack, `set server webapps/${pinned} state ready`);
    }
  });

  test('when its backend stops, and then when the next one is killed, the next request succeeds elsewhere', async () => {
    const browser = client();
    for (const end of ['stop', 'kill'] as const) {
      const pinned = backendsOf(await browser.getMany(3));
      assert.equal(pinned.length, 1, JSON.stringify(pinned));
      // The server name is the container's host name, a prefix of its id.
      await dockerOk([end, pinned[0]!]);
      const next = await browser.get();
      assert.equal(next.status, 200, `after docker ${end}`);
      assert.notEqual(next.backend, pinned[0]);
      assert.equal(next.views, 1, 'a new session on the new backend');
      assert.equal(browser.jar.get(STICKY_COOKIE), next.backend, 'the cookie now names the new backend');
    }
  });
});

describe('STICKY_SESSIONS with another value', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.create();
  });
  after(() => cluster?.cleanup());

  test('HAProxy does not start, and the log says why in one line', async () => {
    await cluster.startHa({ env: { STICKY_SESSIONS: 'yes' } });
    const logs = await waitFor('the refusal in the logs', () => cluster.logs('ha'), (l) => l.includes('STICKY_SESSIONS must be'));
    assert.match(logs, /^STICKY_SESSIONS must be 1 \(on\), 0 or empty \(off\), got 'yes'$/m);
    assert.deepEqual(await processes(cluster, 'ha', 'haproxy'), []);
  });
});
