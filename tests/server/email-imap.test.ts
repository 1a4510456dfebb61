/**
 * The email channel against real Dovecot (IMAP) and Postfix (SMTP) from
 * Debian, started on loopback ports by scripts/mail-dev.sh: a customer's
 * mail delivered through Postfix reaches the queue's mailbox, the hub reads
 * it (IDLE), routes it, the agent replies, and the reply lands in the
 * customer's mailbox threaded under the original. A restart of the hub
 * neither loses nor repeats a mail; a reply Postfix refuses is marked failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '@shared/errors';
import type { DeskEvent, WorkItemView } from '@shared/protocol';
import type { EmailMailboxConfig } from '../../server/channels/email/email-config';
import {
  api,
  connectDesk,
  type DeskSocket,
  loginAs,
  startTestHub,
  type TestHubInProcess,
} from '../support/in-process-hub';
import { mailAvailability, startMailServer, type TestMailServer } from '../support/mail-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const available = mailAvailability();
const SUPPORT = { address: 'support@ieum.test', password: 'support-pw' };
const CUSTOMER = { address: 'customer@customer.test', password: 'customer-pw' };
/** Postfix accepts mail for it, then bounces it with a real DSN to the sender (the queue's mailbox). */
const BOUNCING = 'moved@customer.test';

let mail: TestMailServer;
let hub: TestHubInProcess | undefined;
let dataDir: string;
const sockets: DeskSocket[] = [];

function mailbox(): EmailMailboxConfig {
  return {
    site: 'seoul',
    queue: '일반 문의',
    address: SUPPORT.address,
    name: '이음 고객센터',
    imap: {
      host: '127.0.0.1',
      port: mail.imapPort,
      secure: false,
      user: SUPPORT.address,
      password: SUPPORT.password,
      mailbox: 'INBOX',
    },
    smtp: { host: '127.0.0.1', port: mail.smtpPort, secure: false },
    signature: '--\n{agent}\n{queue}',
    // IDLE announces new mail; the poll is only the fallback, slow on purpose so the test sees IDLE work.
    pollSeconds: 60,
    maxAttachmentBytes: 30 * 1024 * 1024,
    firstReadDays: 1,
  };
}

async function startHub(): Promise<TestHubInProcess> {
  hub = await startTestHub({ dataDir, emailMailboxes: [mailbox()] });
  return hub;
}

beforeAll(async () => {
  if (!available.ok) return;
  mail = await startMailServer({ users: [SUPPORT, CUSTOMER], bounce: [BOUNCING] });
  dataDir = mkdtempSync(join(tmpdir(), 'ieum-email-'));
}, 120_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub?.stop();
  await mail?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
const cid = () => `email-${Date.now()}-${++n}`;

function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = async () => {
      try {
        const v = await check();
        if (v !== undefined) return resolve(v);
      } catch (err) {
        return reject(err as Error);
      }
      if (Date.now() - started > ms) {
        return reject(new Error(`timed out waiting for ${what}\n${mail.logs().slice(-3000)}`));
      }
      setTimeout(() => void tick(), 50);
    };
    void tick();
  });
}

function deskSend<T>(socket: DeskSocket, name: string, payload: unknown): Promise<Result<T>> {
  return (socket as unknown as { emitWithAck(n: string, p: unknown): Promise<Result<T>> }).emitWithAck(
    name,
    payload,
  );
}

async function agentReady(url: string, username = 'agent1') {
  const { token } = await loginAs(url, username);
  const socket = await connectDesk(url, token);
  sockets.push(socket);
  const events: DeskEvent[] = [];
  socket.on('event', (e) => events.push(e));
  const ready = await deskSend(socket, 'agent.setState', { commandId: cid(), state: 'ready' });
  expect(ready, JSON.stringify(ready)).toMatchObject({ ok: true });
  return { socket, events };
}

function customerMail(o: { id: string; subject: string; body: string }): string {
  return [
    `From: "이고객" <${CUSTOMER.address}>`,
    `To: ${SUPPORT.address}`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.id}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.body,
    '',
  ].join('\r\n');
}

async function inboundRows() {
  return hub!.ctx.db
    .selectFrom('email_messages')
    .select(['message_id', 'conversation_id', 'header_message_id'])
    .where('direction', '=', 'in')
    .execute();
}

describe.skipIf(!available.ok)('email over real Dovecot and Postfix', () => {
  it('mail in → routed → agent replies → reply threaded in the customer’s mailbox; restart loses and repeats nothing', async () => {
    // Years-old mail already in the mailbox is not taken on the first read.
    const oldId = `<old-${Date.now()}@customer.test>`;
    await mail.append(
      SUPPORT,
      customerMail({ id: oldId, subject: '2020년 문의', body: '오래된 메일' }),
      new Date('2020-01-02'),
    );
    await startHub();
    const agent = await agentReady(hub!.url);
    const originalId = `<order-${Date.now()}@customer.test>`;
    await mail.deliver(
      customerMail({ id: originalId, subject: '배송 문의', body: '주문 1234 언제 오나요?' }),
      {
        from: CUSTOMER.address,
        to: [SUPPORT.address],
      },
    );
    const offer = await until(() => agent.events.find((e) => e.type === 'offer.created'), 'the offer');
    const item = (offer.payload as { item: WorkItemView }).item;
    expect(item.channel).toBe('email');
    const accepted = await deskSend(agent.socket, 'offer.accept', { commandId: cid(), itemId: item.id });
    expect(accepted.ok).toBe(true);
    const sent = await deskSend(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: item.conversationId,
      body: '내일 도착 예정입니다.',
      kind: 'out',
    });
    expect(sent.ok).toBe(true);

    const reply = await until(
      async () => (await mail.inbox(CUSTOMER)).find((m) => m.inReplyTo === originalId),
      'the reply',
    );
    expect(reply.subject).toBe('Re: 배송 문의');
    expect(reply.from).toBe(SUPPORT.address);
    expect(reply.references).toContain(originalId);
    expect(reply.text).toContain('내일 도착 예정입니다.');
    // The agent's signature: display name and queue.
    expect(reply.text).toMatch(/김지은[\s\S]*일반 문의/);
    const status = await until(async () => {
      const r = await hub!.ctx.db
        .selectFrom('email_messages')
        .select('status')
        .where('conversation_id', '=', item.conversationId)
        .where('direction', '=', 'out')
        .executeTakeFirst();
      return r?.status === 'sent' ? r.status : undefined;
    }, 'the reply marked sent');
    expect(status).toBe('sent');

    // The customer answers the reply: same conversation (threaded by In-Reply-To).
    const answerId = `<answer-${Date.now()}@customer.test>`;
    await mail.deliver(
      [
        `From: ${CUSTOMER.address}`,
        `To: ${SUPPORT.address}`,
        'Subject: Re: 배송 문의',
        `Message-ID: ${answerId}`,
        `In-Reply-To: ${reply.messageId}`,
        `References: ${originalId} ${reply.messageId}`,
        '',
        '감사합니다!',
        '',
      ].join('\r\n'),
      { from: CUSTOMER.address, to: [SUPPORT.address] },
    );
    const answered = await until(
      async () => (await inboundRows()).find((r) => r.header_message_id === answerId),
      'the answer stored',
    );
    expect(answered.conversation_id).toBe(item.conversationId);

    // Restart: the cursor is where it was, nothing read twice; mail sent while down arrives once.
    for (const s of sockets.splice(0)) s.close();
    await hub!.stop();
    const whileDownId = `<down-${Date.now()}@customer.test>`;
    await mail.deliver(customerMail({ id: whileDownId, subject: '추가 문의', body: '영수증도 주세요' }), {
      from: CUSTOMER.address,
      to: [SUPPORT.address],
    });
    await startHub();
    await until(
      async () => (await inboundRows()).find((r) => r.header_message_id === whileDownId),
      'the mail sent while down',
    );
    const rows = await inboundRows();
    expect(rows.map((r) => r.header_message_id).sort()).toEqual([answerId, originalId, whileDownId].sort());
    expect(rows.map((r) => r.header_message_id)).not.toContain(oldId);
    const messages = await hub!.ctx.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('direction', '=', 'in')
      .where('conversation_id', '=', item.conversationId)
      .executeTakeFirstOrThrow();
    expect(Number(messages.n)).toBe(2);
    // Only one reply went out (the restart sent nothing again).
    expect((await mail.inbox(CUSTOMER)).filter((m) => m.inReplyTo === originalId)).toHaveLength(1);

    // IT sees the mailbox and how far it was read, never its password; an agent does not see it at all.
    const admin = await loginAs(hub!.url, 'admin1');
    const described = await api<unknown[]>(hub!.url, '/api/v1/admin/email/mailboxes', admin.token);
    expect(described.status).toBe(200);
    expect(described.body).toEqual([
      expect.objectContaining({ address: SUPPORT.address, queue: '일반 문의', active: true, lastUid: 4 }),
    ]);
    expect(JSON.stringify(described.body)).not.toContain(SUPPORT.password);
    const agentToken = (await loginAs(hub!.url, 'agent1')).token;
    expect((await api(hub!.url, '/api/v1/admin/email/mailboxes', agentToken)).status).toBe(403);
    expect(JSON.stringify(hub!.logs)).not.toContain(SUPPORT.password);
  }, 120_000);

  it('a reply Postfix refuses (unknown mailbox) is marked failed with the server’s words', async () => {
    if (!hub) await startHub();
    // agent1 is busy with the first test's conversation.
    const agent = await agentReady(hub!.url, 'agent2');
    const id = `<ghost-${Date.now()}@customer.test>`;
    await mail.deliver(
      [
        `From: ghost@customer.test`,
        `To: ${SUPPORT.address}`,
        'Subject: 유령 주소',
        `Message-ID: ${id}`,
        '',
        '답장해 주세요',
        '',
      ].join('\r\n'),
      { from: 'ghost@customer.test', to: [SUPPORT.address] },
    );
    const offer = await until(
      () =>
        agent.events.find(
          (e) => e.type === 'offer.created' && (e.payload as { item: WorkItemView }).item.channel === 'email',
        ),
      'the offer',
    );
    const item = (offer.payload as { item: WorkItemView }).item;
    expect((await deskSend(agent.socket, 'offer.accept', { commandId: cid(), itemId: item.id })).ok).toBe(
      true,
    );
    const sent = await deskSend<{ id: string }>(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: item.conversationId,
      body: '확인했습니다',
      kind: 'out',
    });
    expect(sent.ok).toBe(true);
    const failed = await until(async () => {
      const r = await hub!.ctx.db
        .selectFrom('email_messages')
        .select(['status', 'status_detail'])
        .where('conversation_id', '=', item.conversationId)
        .where('direction', '=', 'out')
        .executeTakeFirst();
      return r?.status === 'failed' ? r : undefined;
    }, 'the reply marked failed');
    expect(failed.status_detail).toMatch(/550|User unknown|Recipient address rejected/i);
    // The channel's delivery says the same, so the desk shows the reply failed.
    const delivery = await hub!.ctx.db
      .selectFrom('message_deliveries')
      .select(['status', 'reason', 'attempts'])
      .where('conversation_id', '=', item.conversationId)
      .executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'failed', reason: 'PROVIDER_REJECTED' });
    // A refusal is final: tried once, not retried.
    expect(Number(delivery.attempts)).toBe(1);
  }, 120_000);

  it('a reply Postfix accepts and then bounces: the DSN comes back to the mailbox and the reply turns failed', async () => {
    if (!hub) await startHub();
    const agent = await agentReady(hub!.url, 'supervisor1');
    const id = `<moved-${Date.now()}@customer.test>`;
    await mail.deliver(
      [
        `From: ${BOUNCING}`,
        `To: ${SUPPORT.address}`,
        'Subject: 이사했어요',
        `Message-ID: ${id}`,
        '',
        '주소 변경 문의',
        '',
      ].join('\r\n'),
      { from: BOUNCING, to: [SUPPORT.address] },
    );
    const stored = await until(
      async () => (await inboundRows()).find((r) => r.header_message_id === id),
      'the mail stored',
    );
    // A supervisor may answer any conversation of the site (no offer needed).
    const sent = await deskSend<{ id: string }>(agent.socket, 'message.send', {
      commandId: cid(),
      conversationId: stored.conversation_id,
      body: '새 주소를 알려 주세요',
      kind: 'out',
    });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    const delivery = await until(async () => {
      const d = await hub!.ctx.db
        .selectFrom('message_deliveries')
        .select(['status', 'reason', 'detail', 'provider_message_id'])
        .where('conversation_id', '=', stored.conversation_id)
        .executeTakeFirst();
      return d?.status === 'failed' ? d : undefined;
    }, 'the bounce to fail the reply');
    expect(delivery.reason, JSON.stringify(delivery)).toBe('NOT_DELIVERED');
    expect(delivery.detail).toContain('5.1.1');
    // The report opened no conversation of its own and got no answer.
    const dsn = await hub!.ctx.db
      .selectFrom('conversations')
      .select('id')
      .where('subject', 'like', '%Undelivered%')
      .execute();
    expect(dsn).toEqual([]);
  }, 120_000);

  it('Dovecot and Postfix restart under the hub: it reconnects by itself and reads new mail again', async () => {
    if (!hub) await startHub();
    const opened = () => hub!.logs.filter((l) => l.msg === 'imap mailbox open').length;
    const before = opened();
    await mail.restart();
    // The hub notices the cut connection and opens the mailbox again by itself.
    await until(() => (opened() > before ? true : undefined), 'the hub to reconnect');
    const id = `<after-restart-${Date.now()}@customer.test>`;
    await mail.deliver(customerMail({ id, subject: '서버 재시작 후', body: '받으셨나요?' }), {
      from: CUSTOMER.address,
      to: [SUPPORT.address],
    });
    await until(
      async () => (await inboundRows()).find((r) => r.header_message_id === id),
      'the mail after the restart',
    );
  }, 120_000);
});
