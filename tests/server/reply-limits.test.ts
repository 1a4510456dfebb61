/**
 * The per-channel reply limit through a real hub: a messenger-bound reply
 * over 1,000 characters is refused with the limit (nothing stored), one at
 * the limit goes out, and the hub's `replyLimits` setting (config file)
 * changes it. Notes are not replies: they are not held to a channel's limit.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '@shared/domain';
import { loadConfig } from '../../server/config';
import { send } from '../support/commands';
import { connectDesk, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';

let hub: TestHubInProcess | undefined;
const sockets: { close(): void }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await hub?.stop();
  hub = undefined;
});

let n = 0;
const cid = () => `limits-${Date.now()}-${++n}`;

/** A seeded open messenger conversation and its assignee's desk. */
async function messengerConversation(h: TestHubInProcess) {
  const row = await h.ctx.db
    .selectFrom('conversations as c')
    .innerJoin('users as u', 'u.id', 'c.assignee_id')
    .select(['c.id', 'u.username'])
    .where('c.channel', '=', 'messenger')
    .where('c.status', '=', 'open')
    .executeTakeFirstOrThrow();
  const { token } = await loginAs(h.url, row.username);
  const socket = await connectDesk(h.url, token);
  sockets.push(socket);
  return { conversationId: row.id, socket };
}

describe('reply limits', () => {
  it('refuses a messenger reply over 1,000 characters and sends one at the limit; notes are not held to it', async () => {
    hub = await startTestHub();
    const { conversationId, socket } = await messengerConversation(hub);
    const over = await send<Message>(socket, 'message.send', {
      commandId: cid(),
      conversationId,
      body: 'a'.repeat(1001),
      kind: 'out',
    });
    expect(!over.ok && over.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'TEXT_TOO_LONG', limit: 1000, channel: 'messenger' },
    });
    const stored = await hub.ctx.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('body', '=', 'a'.repeat(1001))
      .execute();
    expect(stored).toHaveLength(0);
    const at = await send<Message>(socket, 'message.send', {
      commandId: cid(),
      conversationId,
      body: 'b'.repeat(1000),
      kind: 'out',
    });
    expect(at.ok).toBe(true);
    const note = await send<Message>(socket, 'message.send', {
      commandId: cid(),
      conversationId,
      body: 'c'.repeat(3000),
      kind: 'note',
    });
    expect(note.ok).toBe(true);
  });

  it('takes the limits from the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ieum-limits-'));
    const file = join(dir, 'hub.json');
    writeFileSync(
      file,
      JSON.stringify({
        replyLimits: { voice: 2000, webchat: 2000, email: 10000, sms: 500, messenger: 1500 },
      }),
    );
    const config = loadConfig(['--config', file], {});
    expect(config.replyLimits).toEqual({
      voice: 2000,
      webchat: 2000,
      email: 10000,
      sms: 500,
      messenger: 1500,
    });
    expect(() => {
      writeFileSync(file, JSON.stringify({ replyLimits: { messenger: 0 } }));
      loadConfig(['--config', file], {});
    }).toThrow(/replyLimits/);
    hub = await startTestHub({ replyLimits: config.replyLimits });
    const { conversationId, socket } = await messengerConversation(hub);
    const ok = await send<Message>(socket, 'message.send', {
      commandId: cid(),
      conversationId,
      body: 'a'.repeat(1400),
      kind: 'out',
    });
    expect(ok.ok).toBe(true);
  });
});
