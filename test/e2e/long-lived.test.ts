// Long-lived connections across scaling: WebSockets and server-sent-event
// streams open through ha while the web apps scale 10 → 20 → 10 with
// `docker compose up -d --scale`. A membership change goes through HAProxy's
// runtime API, not a reload, so a connection to a server that stays is never
// touched; one to a server that leaves is ended by the app's drain, politely
// (close frame 1001, end of stream), never reset.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { ComposeProject } from '../../harness/docker/compose.ts';
import { requireEngine } from '../../harness/docker/docker.ts';
import { backendsSeen } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const WEBSOCKETS_PER_WAVE = 500;
const STREAMS_PER_WAVE = 50;
/** Connections opened at once while a wave opens: enough to be quick, few enough for two cores. */
const OPENING_AT_ONCE = 50;

interface Connection {
  kind: 'websocket' | 'events';
  backend: string;
  /** Unset while open: `close <code>` for a WebSocket's close frame, `end` for a stream's end, or the error. */
  ended?: string;
}

interface WebSocketConnection extends Connection {
  kind: 'websocket';
  ws: WebSocket;
  sent: number;
  echoed: number;
  /** Echoes that came back other than the message sent next in line. */
  wrong: number;
  /** Messages still unanswered when the server's close frame came: sent as it closed. */
  crossedClose: number;
}

interface StreamConnection extends Connection {
  kind: 'events';
  response: IncomingMessage;
  events: number;
}

const errorName = (error: Error) => `error ${(error as NodeJS.ErrnoException).code ?? error.message}`;

function openWebSocket(port: number): Promise<WebSocketConnection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    let backend = '';
    ws.once('upgrade', (response) => (backend = String(response.headers['x-backend'])));
    ws.once('unexpected-response', (_, response) => reject(new Error(`expected 101 for /ws, got ${response.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      const connection: WebSocketConnection = { kind: 'websocket', ws, backend, sent: 0, echoed: 0, wrong: 0, crossedClose: 0 };
      ws.on('message', (data) => {
        if (String(data) === `m${connection.echoed + 1}`) connection.echoed += 1;
        else connection.wrong += 1;
      });
      ws.on('error', (error) => (connection.ended ??= errorName(error)));
      ws.on('close', (code) => {
        connection.crossedClose = connection.sent - connection.echoed;
        connection.ended ??= `close ${code}`;
      });
      resolve(connection);
    });
  });
}

function openStream(port: number): Promise<StreamConnection> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/events' }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`expected 200 for /events, got ${response.statusCode}`));
      const connection: StreamConnection = { kind: 'events', response, backend: String(response.headers['x-backend']), events: 0 };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (connection.events += chunk.split('data: ').length - 1));
      response.on('end', () => (connection.ended ??= 'end'));
      response.on('error', (error) => (connection.ended ??= errorName(error)));
      response.on('aborted', () => (connection.ended ??= 'aborted'));
      resolve(connection);
    }).on('error', reject);
  });
}

async function openWave(port: number, websockets: number, streams: number): Promise<Connection[]> {
  const openers = [...Array.from({ length: websockets }, () => () => openWebSocket(port)), ...Array.from({ length: streams }, () => () => openStream(port))];
  const opened: Connection[] = [];
  for (let i = 0; i < openers.length; i += OPENING_AT_ONCE) {
    opened.push(...(await Promise.all(openers.slice(i, i + OPENING_AT_ONCE).map((open) => open()))));
  }
  return opened;
}

/** Each open WebSocket sends one message a second, a tenth of them every 100 ms. */
function startTalking(connections: () => WebSocketConnection[]): () => void {
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    for (const [i, connection] of connections().entries()) {
      if (i % 10 !== tick % 10 || connection.ended || connection.ws.readyState !== WebSocket.OPEN) continue;
      connection.sent += 1;
      connection.ws.send(`m${connection.sent}`);
    }
  }, 100);
  return () => clearInterval(timer);
}

const count = <T>(items: readonly T[], keep: (item: T) => boolean) => items.filter(keep).length;
const tally = (values: readonly string[]) => Object.fromEntries([...new Set(values)].sort().map((v) => [v, count(values, (x) => x === v)]));

describe('long-lived connections while the web apps scale 10 → 20 → 10', () => {
  const stack = new ComposeProject('longlived');
  const connections: Connection[] = [];
  const websockets = () => connections.filter((c): c is WebSocketConnection => c.kind === 'websocket');
  let port: number;

  async function scaleTo(webapps: number): Promise<string[]> {
    await stack.up(webapps, false);
    const alive = await waitFor(`${webapps} alive backends`, () => stack.aliveBackends(), (b) => b.length === webapps, 180_000);
    await waitFor(`${webapps} backends answering`, () => backendsSeen({ http: port, stats: 0 }, webapps * 2), (s) => Object.keys(s).filter((k) => !k.startsWith('status-')).length === webapps, 120_000);
    return alive;
  }

  before(async () => {
    await requireEngine();
    await stack.up(10);
    port = await stack.port('ha', 80);
    await scaleTo(10);
  });
  after(async () => {
    for (const c of connections) {
      if (c.kind === 'websocket') (c as WebSocketConnection).ws.terminate();
      else (c as StreamConnection).response.destroy();
    }
    await stack.down();
  });

  test('stayers keep every connection and echo every message; leavers end theirs with 1001 or the end of the stream, never a reset', { timeout: 600_000 }, async () => {
    const reloadsBefore = (await stack.logs('ha')).split('Loading success').length;
    connections.push(...(await openWave(port, WEBSOCKETS_PER_WAVE, STREAMS_PER_WAVE)));
    const stopTalking = startTalking(websockets);
    await sleep(3000);
    await scaleTo(20);
    // The second wave spreads over all 20, so about half of it lands on servers that will leave.
    connections.push(...(await openWave(port, WEBSOCKETS_PER_WAVE, STREAMS_PER_WAVE)));
    await sleep(5000);
    const stayers = new Set(await scaleTo(10));
    await sleep(5000);
    stopTalking();
    // The last messages' echoes.
    await sleep(2000);
    const reloads = (await stack.logs('ha')).split('Loading success').length - reloadsBefore;

    const onStayers = connections.filter((c) => stayers.has(c.backend));
    const onLeavers = connections.filter((c) => !stayers.has(c.backend));
    const wsOnLeavers = onLeavers.filter((c): c is WebSocketConnection => c.kind === 'websocket');
    const wsOnStayers = onStayers.filter((c): c is WebSocketConnection => c.kind === 'websocket');
    const sent = websockets().reduce((n, c) => n + c.sent, 0);
    const echoed = websockets().reduce((n, c) => n + c.echoed, 0);
    const crossed = wsOnLeavers.reduce((n, c) => n + c.crossedClose, 0);
    const figures = {
      websockets: websockets().length,
      streams: connections.length - websockets().length,
      on_leavers: onLeavers.length,
      on_stayers: onStayers.length,
      ended_on_stayers: count(onStayers, (c) => c.ended !== undefined),
      leavers_ended: tally(onLeavers.map((c) => `${c.kind} ${c.ended ?? 'open'}`)),
      messages_sent: sent,
      messages_echoed: echoed,
      sent_as_the_leaver_closed: crossed,
      wrong_echoes: websockets().reduce((n, c) => n + c.wrong, 0),
      events_received: connections.reduce((n, c) => n + (c.kind === 'events' ? (c as StreamConnection).events : 0), 0),
      reloads,
    };
    console.log(`long-lived: ${JSON.stringify(figures)}`);

    assert.equal(figures.websockets, 2 * WEBSOCKETS_PER_WAVE);
    assert.equal(figures.streams, 2 * STREAMS_PER_WAVE);
    assert.ok(wsOnLeavers.length > 0 && onLeavers.some((c) => c.kind === 'events'), 'some connections were on servers that left');
    assert.equal(figures.ended_on_stayers, 0, JSON.stringify(tally(onStayers.map((c) => `${c.kind} ${c.ended ?? 'open'}`))));
    assert.equal(count(wsOnLeavers, (c) => c.ended === 'close 1001'), wsOnLeavers.length, JSON.stringify(figures.leavers_ended));
    assert.equal(count(onLeavers, (c) => c.kind === 'events' && c.ended === 'end'), onLeavers.length - wsOnLeavers.length, JSON.stringify(figures.leavers_ended));
    assert.equal(figures.wrong_echoes, 0);
    // Every message a stayer got is echoed; a leaver echoes all but one that crossed its close frame at most.
    assert.equal(wsOnStayers.reduce((n, c) => n + c.sent - c.echoed, 0), 0);
    assert.ok(wsOnLeavers.every((c) => c.crossedClose <= 1), JSON.stringify(wsOnLeavers.map((c) => c.crossedClose)));
    assert.equal(echoed + crossed, sent);
    assert.ok(sent >= figures.websockets * 5, `each WebSocket sent a message a second (${sent} in all)`);
    assert.equal(reloads, 0, 'scaling reloads nothing: membership changes go through the runtime API');
  });

  // A reload (a template change, `s6-svc -2`) starts a new worker; the old
  // one keeps the connections it holds until they end or hard-stop-after
  // (15 s in templates/haproxy.cfg.hbs) stops it. The figures go to
  // docs/long-lived-connections.md.
  test('a reload keeps existing connections on the old worker, which hard-stop-after ends', { timeout: 300_000 }, async () => {
    const held = await openWave(port, 50, 10);
    connections.push(...held);
    const heldWebSockets = held.filter((c): c is WebSocketConnection => c.kind === 'websocket');
    const stopTalking = startTalking(() => heldWebSockets);
    await sleep(2000);
    const logged = () => stack.logs('ha').then((logs) => logs.split('Loading success').length);
    const before = await logged();
    const reloadedAt = Date.now();
    await stack.run(['exec', '-T', 'ha', 's6-svc', '-2', '/run/service/haproxy']);
    await waitFor('the reload', logged, (n) => n > before);
    const echoedAtReload = heldWebSockets.map((c) => c.echoed);
    const endedAt = new Map<Connection, number>();
    await waitFor('every held connection ended', async () => {
      for (const c of held) if (c.ended && !endedAt.has(c)) endedAt.set(c, Date.now() - reloadedAt);
      return endedAt.size;
    }, (n) => n === held.length, 120_000);
    stopTalking();
    const lifetimes = [...endedAt.values()].sort((a, b) => a - b);
    const echoedAfterReload = count(heldWebSockets, (c) => c.echoed > echoedAtReload[heldWebSockets.indexOf(c)]! + 3);
    console.log(`reload: ${JSON.stringify({ held: held.length, echoed_after_reload: echoedAfterReload, ended: tally(held.map((c) => `${c.kind} ${c.ended}`)), ended_after_ms: { first: lifetimes[0], last: lifetimes.at(-1) } })}`);
    // The old worker served them on after the reload: several echoes each, a second apart.
    assert.equal(echoedAfterReload, heldWebSockets.length);
    // A new connection after the reload goes to the new worker and is not cut.
    const fresh = await openWebSocket(port);
    connections.push(fresh);
    fresh.ws.send('m1');
    fresh.sent = 1;
    await waitFor('an echo from the new worker', async () => fresh.echoed, (n) => n === 1);
    assert.equal(fresh.ended, undefined);
  });
});
