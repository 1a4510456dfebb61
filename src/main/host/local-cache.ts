/**
 * Snapshots of what the agent last saw (their conversations, the messages of
 * each, customers, their recent calls) and unsent drafts, on the desk's SQLite file. The desk
 * shows these at once on start and while the hub is unreachable; the hub's
 * answers replace them. A cache never fails the caller: a full disk just
 * means no snapshot this time.
 */
import { ok } from '@shared/errors';
import { CACHE_LIMIT, type HostApi } from '@shared/host-api';
import { MeResponse } from '@shared/api';
import { Conversation, Customer, Message } from '@shared/domain';
import { CallRecord } from '@shared/telephony';
import type { z } from 'zod';
import { guardWrite } from './outbox-store';
import type { Db } from './local-db';

export type LocalCache = Pick<
  HostApi,
  | 'cacheConversations'
  | 'cachedConversations'
  | 'cacheMessages'
  | 'cachedMessages'
  | 'cacheCustomer'
  | 'cachedCustomer'
  | 'cacheSession'
  | 'cachedSession'
  | 'cacheCalls'
  | 'cachedCalls'
  | 'saveDraft'
  | 'loadDraft'
>;

/** Keeps this many message snapshots per user; the least recently written go first. */
export const MESSAGE_SNAPSHOTS_KEPT = 200;

export function createLocalCache(db: Db, now: () => number = Date.now): LocalCache {
  const put = db.prepare(
    `INSERT INTO cache (hub_url, user_id, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (hub_url, user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const get = db.prepare('SELECT value FROM cache WHERE hub_url = ? AND user_id = ? AND key = ?').pluck();
  const trim = db.prepare(
    `DELETE FROM cache WHERE hub_url = ? AND user_id = ? AND key LIKE 'messages:%' AND key NOT IN (
       SELECT key FROM cache WHERE hub_url = ? AND user_id = ? AND key LIKE 'messages:%'
       ORDER BY updated_at DESC LIMIT ${MESSAGE_SNAPSHOTS_KEPT})`,
  );
  const putDraft = db.prepare(
    `INSERT INTO drafts (hub_url, user_id, conversation_id, body, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (hub_url, user_id, conversation_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  );
  const deleteDraft = db.prepare(
    'DELETE FROM drafts WHERE hub_url = ? AND user_id = ? AND conversation_id = ?',
  );
  const getDraft = db
    .prepare('SELECT body FROM drafts WHERE hub_url = ? AND user_id = ? AND conversation_id = ?')
    .pluck();

  const save = (scope: { hubUrl: string; userId: string }, key: string, value: unknown) => {
    guardWrite(() => put.run(scope.hubUrl, scope.userId, key, JSON.stringify(value), now()));
    return ok(null);
  };
  /** A snapshot that no longer parses (older desk version, damaged row) reads as absent. */
  const load = <T extends z.ZodType>(scope: { hubUrl: string; userId: string }, key: string, schema: T) => {
    const raw = get.get(scope.hubUrl, scope.userId, key) as string | undefined;
    if (raw === undefined) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? (parsed.data as z.infer<T>) : null;
    } catch {
      return null;
    }
  };

  return {
    cacheConversations: async ({ scope, items }) => save(scope, 'conversations', items.slice(0, CACHE_LIMIT)),
    cachedConversations: async (scope) => ok(load(scope, 'conversations', Conversation.array()) ?? []),
    cacheMessages: async ({ scope, conversationId, items }) => {
      const result = save(scope, `messages:${conversationId}`, items.slice(-CACHE_LIMIT));
      guardWrite(() => trim.run(scope.hubUrl, scope.userId, scope.hubUrl, scope.userId));
      return result;
    },
    cachedMessages: async ({ scope, id }) => ok(load(scope, `messages:${id}`, Message.array()) ?? []),
    cacheCustomer: async ({ scope, customer }) => save(scope, `customer:${customer.id}`, customer),
    cachedCustomer: async ({ scope, id }) => ok(load(scope, `customer:${id}`, Customer)),
    // Keyed by hub alone: before the hub answers we do not know who we are.
    cacheSession: async ({ hubUrl, me }) => save({ hubUrl, userId: '' }, 'session', me),
    cachedSession: async (hubUrl) => ok(load({ hubUrl, userId: '' }, 'session', MeResponse)),
    cacheCalls: async ({ scope, items }) => save(scope, 'calls', items.slice(0, CACHE_LIMIT)),
    cachedCalls: async (scope) => ok(load(scope, 'calls', CallRecord.array()) ?? []),
    saveDraft: async ({ scope, conversationId, body }) => {
      guardWrite(() =>
        body.trim()
          ? putDraft.run(scope.hubUrl, scope.userId, conversationId, body, now())
          : deleteDraft.run(scope.hubUrl, scope.userId, conversationId),
      );
      return ok(null);
    },
    loadDraft: async ({ scope, id }) =>
      ok((getDraft.get(scope.hubUrl, scope.userId, id) as string | undefined) ?? null),
  };
}
