import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSipServers, sipOrigin } from '../../../../src/main/host/sip-servers';

const dir = mkdtempSync(join(tmpdir(), 'ieum-sip-servers-'));
/** What the stand-in hub answers at /api/v1/sip/server; a string is sent as an error status. */
let answer: unknown = { wsUrl: 'wss://pbx.example:8089/ws' };
let server: Server;
let hubUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/api/v1/sip/server') return void res.writeHead(404).end();
    if (typeof answer === 'number') return void res.writeHead(answer).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe("the hubs' SIP servers for the desk's CSP", () => {
  it('takes only ws/wss origins', () => {
    expect(sipOrigin('wss://pbx.example:8089/ws')).toBe('wss://pbx.example:8089');
    expect(sipOrigin('ws://[::1]:8080')).toBe('ws://[::1]:8080');
    expect(sipOrigin('https://pbx.example')).toBeUndefined();
    expect(sipOrigin('not a url')).toBeUndefined();
  });

  it('asks each hub, keeps the answer for a start while the hub is down, and forgets a removed server', async () => {
    const file = join(dir, 'sip-servers.json');
    const servers = createSipServers(file, { timeoutMs: 1_000 });
    expect(await servers.learn([hubUrl])).toBe(true);
    expect(servers.origins()).toEqual(['wss://pbx.example:8089']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ [hubUrl]: 'wss://pbx.example:8089' });

    // The hub is down at the next start: the desk still allows the server it last heard of.
    answer = 503;
    const later = createSipServers(file, { timeoutMs: 1_000 });
    expect(await later.learn([hubUrl])).toBe(true);
    expect(later.origins()).toEqual(['wss://pbx.example:8089']);
    // A hub nobody configured any more adds nothing.
    expect(await later.learn([])).toBe(true);
    expect(later.origins()).toEqual([]);

    // The hub says it has no SIP server now (or a non-WebSocket one): forgotten.
    answer = { wsUrl: null };
    expect(await later.learn([hubUrl])).toBe(false);
    expect(later.origins()).toEqual([]);
    answer = { wsUrl: 'https://not-a-websocket.example' };
    await later.learn([hubUrl]);
    expect(later.origins()).toEqual([]);
  });

  it('gives up on a hub that does not answer in time, without throwing', async () => {
    const warnings: string[] = [];
    const servers = createSipServers(join(dir, 'other.json'), {
      timeoutMs: 200,
      fetch: () => new Promise<Response>(() => undefined),
      onWarn: (m) => warnings.push(m),
    });
    expect(await servers.learn(['http://127.0.0.1:9'])).toBe(false);
    expect(servers.origins()).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});
