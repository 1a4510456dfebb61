/**
 * `npm run bench -- inbox [--conversations 50000] [--messages 1000000] [--seconds 10]`
 *
 * The unified inbox at scale, against a bare baseline measured in the same run:
 *
 * - Hub: 50,000 conversations (all agent1's) and 1,000,000 messages seeded
 *   into a temp SQLite hub in one transaction (the FTS5 trigram index is kept
 *   by the same triggers the hub uses). Then `inbox.search` (the hub's own
 *   code: scope, masking, rows) runs a mix of Korean queries — 3+ characters
 *   through the trigram index, 1–2 through the bounded recent scan — and we
 *   report p50/p95/p99. Baseline: the raw FTS5 MATCH (and the raw LIKE scan)
 *   for the same queries on the same database, with no scope, join or masking.
 * - Desk: the real hub process serves /desk/ to Debian's Chromium; agent1
 *   signs in, and we time first render (navigation → first row), then scroll
 *   the list for 10 s by script and record requestAnimationFrame deltas
 *   (p95, max), and the JS heap after GC. Baseline: a plain, non-virtualized
 *   page with the same 50,000 rows (same row markup and height), same scroll.
 *
 * Prints one JSON object on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import pino from 'pino';
import { DEFAULTS } from '../server/config';
import type { HubContext } from '../server/context';
import { seedDemo } from '../server/demo/seed';
import { searchMessages } from '../server/inbox/message-search';
import { setRootLogger } from '../server/log';
import { openDatabase } from '../server/storage/database';
import { SHORT_QUERY_SCAN } from '../src/shared/inbox';
import { launchChromium } from '../tests/support/chromium';
import { startHub, type TestHub } from '../tests/support/hub';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '50000' },
    messages: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    'search-rounds': { type: 'string', default: '20' },
  },
});
const CONVERSATIONS = Number(values.conversations);
const MESSAGES = Number(values.messages);
const SCROLL_MS = Number(values.seconds) * 1000;
const SEARCH_ROUNDS = Number(values['search-rounds']);
/** Pixels per frame: 150 rows a second at 60 fps, so the list loads several pages while scrolling. */
const SCROLL_STEP = 200;

const ITEMS = [
  '운동화',
  '청바지',
  '노트북 가방',
  '블루투스 이어폰',
  '전기포트',
  '겨울 패딩',
  '텀블러',
  '휴대폰 케이스',
];
const CUSTOMER_LINES = [
  '주문한 {item} 배송이 아직 안 왔어요',
  '{item} 환불 요청드립니다',
  '배송지 변경 가능할까요? 주문번호 A{n}',
  '{item} 사이즈 교환하고 싶어요',
  '결제가 두 번 된 것 같아요',
  '쿠폰 적용이 안 됩니다 {item} 주문이에요',
  '영수증 발급 부탁드려요',
  '포인트 적립 확인 부탁드립니다',
];
const AGENT_LINES = [
  '확인해 보겠습니다 잠시만 기다려 주세요',
  '주문번호 A{n} 확인했습니다',
  '불편을 드려 죄송합니다',
  '환불 처리는 3영업일 소요됩니다',
  '교환 접수 도와드리겠습니다',
];
/** Queries a desk would type: common and rare phrases, short words, and a miss. */
const QUERIES = [
  '배송이',
  '환불 요청',
  '사이즈 교환',
  '블루투스',
  '결제가 두 번',
  '영수증',
  '쿠폰 적용',
  '3영업일',
  'A2026123',
  '없는단어입니다',
  '환불',
  '교환',
  '쿠폰',
  '패딩',
  '텀',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round = (n: number) => Math.round(n * 100) / 100;
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    p99: round(quantile(s, 0.99)),
    max: round(s.at(-1) ?? 0),
  };
}

interface Seeded {
  siteId: string;
  agentId: string;
  /** What each row shows, newest first, for the baseline page. */
  rows: { name: string; subject: string; at: number }[];
  seedMs: number;
}

/** Demo data, then the bulk: batched inserts in one transaction, the FTS triggers included. */
async function seed(dataDir: string): Promise<Seeded> {
  const database = await openDatabase({ dataDir });
  const ctx = {
    config: { ...DEFAULTS, dataDir },
    db: database.db,
    dbKind: database.kind,
    log: pino({ level: 'silent' }),
  };
  await seedDemo(ctx as never);
  await database.close();

  const started = performance.now();
  const db = new Database(join(dataDir, 'ieum.sqlite'));
  db.pragma('journal_mode = WAL');
  const site = db.prepare("SELECT id FROM sites WHERE code = 'seoul'").get() as { id: string };
  const agent = db.prepare("SELECT id FROM users WHERE username = 'agent1'").get() as { id: string };
  const queue = db.prepare('SELECT id FROM queues WHERE site_id = ? ORDER BY name LIMIT 1').get(site.id) as {
    id: string;
  };
  const customers = db.prepare('SELECT id, name FROM customers WHERE site_id = ?').all(site.id) as {
    id: string;
    name: string;
  }[];
  const insertConv = db.prepare(
    `INSERT INTO conversations (id, site_id, customer_id, channel, queue_id, status, priority, assignee_id, subject, waiting_since, created_at, last_message_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
  );
  const insertMsg = db.prepare(
    `INSERT INTO messages (id, site_id, conversation_id, direction, author_id, body, client_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const rand = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const fill = (line: string) =>
    line.replace('{item}', pick(ITEMS)).replace('{n}', String(20260000 + Math.floor(rand() * 9999)));
  const perConv = Math.max(1, Math.floor(MESSAGES / CONVERSATIONS));
  const now = Date.now() - 60_000;
  const rows: Seeded['rows'] = [];
  const channels = ['webchat', 'webchat', 'email', 'sms', 'messenger'];
  db.transaction(() => {
    for (let c = 0; c < CONVERSATIONS; c++) {
      // Oldest first, so message rowids grow with time as they do live.
      const convId = `bench-c-${String(c).padStart(6, '0')}`;
      const customer = pick(customers);
      const start = now - (CONVERSATIONS - c) * 60_000 - perConv * 30_000;
      const last = start + perConv * 30_000;
      const first = fill(pick(CUSTOMER_LINES));
      const open = c >= CONVERSATIONS - 500;
      insertConv.run(
        convId,
        site.id,
        customer.id,
        pick(channels),
        queue.id,
        open ? 'open' : 'resolved',
        agent.id,
        first.slice(0, 60),
        open && rand() < 0.5 ? last : null,
        start,
        last,
      );
      for (let m = 0; m < perConv; m++) {
        const inbound = m % 2 === 0;
        insertMsg.run(
          `bench-m-${c}-${m}`,
          site.id,
          convId,
          inbound ? 'in' : 'out',
          inbound ? null : agent.id,
          m === 0 ? first : fill(pick(inbound ? CUSTOMER_LINES : AGENT_LINES)),
          start + (m + 1) * 30_000,
        );
      }
      rows.push({ name: customer.name, subject: first.slice(0, 60), at: last });
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rows.reverse();
  return { siteId: site.id, agentId: agent.id, rows, seedMs: performance.now() - started };
}

/** Our search (hub code, in-process on the same file) against the raw index, query by query. */
async function benchSearch(dataDir: string, seeded: Seeded) {
  const database = await openDatabase({ dataDir });
  const ctx = {
    config: { ...DEFAULTS, dataDir },
    db: database.db,
    dbKind: database.kind,
    log: pino({ level: 'silent' }),
  } as unknown as HubContext;
  const actor = { userId: seeded.agentId, siteId: seeded.siteId, role: 'agent' as const };
  const raw = new Database(join(dataDir, 'ieum.sqlite'), { readonly: true });
  const rawFts = raw.prepare(
    'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT 50',
  );
  const rawLike = raw.prepare(
    `SELECT m.id FROM (SELECT id FROM messages WHERE site_id = ? ORDER BY created_at DESC LIMIT ${SHORT_QUERY_SCAN}) r
     JOIN messages m ON m.id = r.id WHERE m.body LIKE ? ORDER BY m.created_at DESC LIMIT 50`,
  );
  const ours: number[] = [];
  const oursByMode: Record<string, number[]> = { fulltext: [], recent: [] };
  const bareFts: number[] = [];
  const bareLike: number[] = [];
  let hits = 0;
  // One warm-up round (page cache), then the measured rounds.
  for (let r = 0; r <= SEARCH_ROUNDS; r++) {
    for (const query of QUERIES) {
      const t0 = performance.now();
      const result = await searchMessages(ctx, actor, { query, scope: 'mine', limit: 50 });
      const ms = performance.now() - t0;
      const t1 = performance.now();
      if (result.mode === 'fulltext') rawFts.all(`"${query}"`);
      else rawLike.all(seeded.siteId, `%${query}%`);
      const bare = performance.now() - t1;
      if (r === 0) continue;
      hits += result.hits.length;
      ours.push(ms);
      oursByMode[result.mode]!.push(ms);
      (result.mode === 'fulltext' ? bareFts : bareLike).push(bare);
    }
  }
  raw.close();
  await database.close();
  return {
    messages: MESSAGES,
    queries: QUERIES.length,
    rounds: SEARCH_ROUNDS,
    meanHits: round(hits / ours.length),
    hubSearchMs: stats(ours),
    hubSearchByModeMs: { fulltext: stats(oursByMode.fulltext!), recent: stats(oursByMode.recent!) },
    baseline: { rawFtsMatchMs: stats(bareFts), rawLikeRecentScanMs: stats(bareLike) },
  };
}

/**
 * In-page scripts as plain JavaScript text: they run in Chromium, not Node
 * (no DOM types here, and no transpiler helpers may leak into them).
 */
const SCROLL_SCRIPT = `({ selector, step, ms }) => new Promise((resolve) => {
  const el = document.querySelector(selector);
  const deltas = [];
  let last = performance.now();
  const start = last;
  function frame(t) {
    deltas.push(t - last);
    last = t;
    el.scrollTop += step;
    if (t - start < ms) requestAnimationFrame(frame);
    else resolve({
      deltas: deltas.slice(1),
      rowsScrolled: Math.round(el.scrollTop / 80),
      placeholdersAtEnd: el.querySelectorAll('.inbox-row--placeholder').length,
    });
  }
  requestAnimationFrame(frame);
})`;

const NEXT_FRAME_SCRIPT = `new Promise((r) => requestAnimationFrame(() => r(performance.now())))`;

const BARE_LIST_SCRIPT = `(data) => {
  const t0 = performance.now();
  const style = document.createElement('style');
  style.textContent = '.list{height:800px;width:340px;overflow-y:auto}' +
    '.row{height:80px;box-sizing:border-box;padding:8px 12px;border-bottom:1px solid #ddd;font:13px sans-serif;overflow:hidden}';
  document.head.append(style);
  const list = document.createElement('div');
  list.className = 'list';
  list.setAttribute('role', 'list');
  const fmt = new Intl.DateTimeFormat('ko', { hour: '2-digit', minute: '2-digit' });
  const html = [];
  for (const r of data) {
    html.push('<div class="row" role="listitem"><div><b>' + r.name + '</b> <time>' + fmt.format(new Date(r.at)) +
      '</time></div><div>' + r.subject + '</div><div><span>웹 채팅</span> <span>해결됨</span></div></div>');
  }
  list.innerHTML = html.join('');
  document.body.append(list);
  return new Promise((r) => requestAnimationFrame(() => r(performance.now() - t0)));
}`;

const DOM_NODES_SCRIPT = `document.getElementsByTagName('*').length`;

interface ScrollResult {
  deltas: number[];
  rowsScrolled: number;
  placeholdersAtEnd: number;
}

/** Scrolls `selector` by SCROLL_STEP px a frame for SCROLL_MS and returns the frame deltas. */
function scrollFrames(page: Page, selector: string): Promise<ScrollResult> {
  const args = JSON.stringify({ selector, step: SCROLL_STEP, ms: SCROLL_MS });
  return page.evaluate(`(${SCROLL_SCRIPT})(${args})`) as Promise<ScrollResult>;
}

async function heapUsedMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return round(usedSize / 1024 / 1024);
}

async function benchDesk(hub: TestHub, rows: Seeded['rows']) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${hub.url}/desk/`);
    await page.getByLabel('아이디', { exact: true }).fill('agent1');
    await page.getByLabel('비밀번호', { exact: true }).fill('demo');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page
      .getByRole('listbox', { name: '상담 목록' })
      .getByRole('option')
      .first()
      .waitFor({ timeout: 120_000 });
    // Measured: a fresh load of the signed-in desk until the first row is painted.
    await page.reload();
    await page
      .getByRole('listbox', { name: '상담 목록' })
      .getByRole('option')
      .first()
      .waitFor({ timeout: 120_000 });
    const firstRenderMs = (await page.evaluate(NEXT_FRAME_SCRIPT)) as number;
    const total = await page
      .getByRole('heading', { name: /상담함/ })
      .locator('.count')
      .first()
      .textContent();
    const scroll = await scrollFrames(page, '[role="listbox"][aria-label="상담 목록"]');
    const heap = await heapUsedMb(page);
    const domNodes = (await page.evaluate(DOM_NODES_SCRIPT)) as number;

    // Baseline: the same rows as a plain list, all in the DOM.
    const bare = await context.newPage();
    await bare.setContent('<!doctype html><html><body></body></html>');
    const bareFirstRenderMs = (await bare.evaluate(
      `(${BARE_LIST_SCRIPT})(${JSON.stringify(rows)})`,
    )) as number;
    const bareScroll = await scrollFrames(bare, '.list');
    const bareHeap = await heapUsedMb(bare);
    const bareDomNodes = (await bare.evaluate(DOM_NODES_SCRIPT)) as number;
    return {
      conversations: Number(total),
      desk: {
        firstRenderMs: round(firstRenderMs),
        scrollFrameMs: stats(scroll.deltas),
        rowsScrolled: scroll.rowsScrolled,
        placeholdersAtEnd: scroll.placeholdersAtEnd,
        heapUsedMb: heap,
        domNodes,
      },
      baseline: {
        what: 'plain non-virtualized list, same rows, rendered from data already in the page (no hub, no app boot)',
        firstRenderMs: round(bareFirstRenderMs),
        scrollFrameMs: stats(bareScroll.deltas),
        rowsScrolled: bareScroll.rowsScrolled,
        heapUsedMb: bareHeap,
        domNodes: bareDomNodes,
      },
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  setRootLogger(pino({ level: 'silent' })); // stdout carries only the JSON
  const dataDir = mkdtempSync(join(tmpdir(), 'ieum-bench-inbox-'));
  let hub: TestHub | undefined;
  try {
    const seeded = await seed(dataDir);
    const search = await benchSearch(dataDir, seeded);
    hub = await startHub({ dataDir });
    const desk = await benchDesk(hub, seeded.rows);
    const out = {
      bench: 'inbox',
      seed: { conversations: CONVERSATIONS, messages: MESSAGES, ms: Math.round(seeded.seedMs) },
      ...desk,
      search,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
