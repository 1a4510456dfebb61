/**
 * Message search for the inbox (`inbox.search`), Korean included: Korean has
 * no spaces to split words on reliably (조사 attach to nouns), so both
 * databases index character trigrams — SQLite FTS5's `trigram` tokenizer,
 * PostgreSQL's pg_trgm GIN index — which find any substring of 3+ characters.
 * Shorter queries (a 1–2 syllable word like 환불) fall back to LIKE over the
 * site's newest SHORT_QUERY_SCAN messages, so they stay fast and bounded.
 *
 * Hits are masked exactly as the conversation shows them (toMessage), and a
 * hit whose match lies only inside a masked number is dropped: search must not
 * confirm a card or resident number the agent may not see.
 */
import type { InboxSearchCommand, SearchHit, SearchResult } from '@shared/inbox';
import { SHORT_QUERY_SCAN } from '@shared/inbox';
import { type RawBuilder, sql } from 'kysely';
import type { z } from 'zod';
import type { Actor, HubContext } from '../context';
import { toMessage } from '../storage/rows';
import type { Selectable } from 'kysely';
import type { MessagesTable } from '../storage/schema';

type MessageRow = Selectable<MessagesTable>;
import { queueSlaOf, selectItemRows, toInboxItems } from './inbox-items';
import { checkScope, inboxCondition, viewerOf } from './inbox-scope';

type Input = z.output<typeof InboxSearchCommand>;

/** Trigram length: the indexes can only narrow down queries at least this long. */
export const TRIGRAM = 3;

const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** An FTS5 string: one phrase, quotes doubled, so operators in the query are plain text. */
const ftsPhrase = (q: string): string => `"${q.replace(/"/g, '""')}"`;

const MESSAGE_COLUMNS = sql`m.id, m.site_id, m.conversation_id, m.direction, m.author_id, m.body, m.client_id, m.created_at, m.channel, m.provider_message_id`;

export async function searchMessages(ctx: HubContext, actor: Actor, q: Input): Promise<SearchResult> {
  checkScope(actor, q);
  const viewer = await viewerOf(ctx.db, actor);
  const where = inboxCondition(viewer, q);
  const text = q.query;
  const mode: SearchResult['mode'] = [...text].length >= TRIGRAM ? 'fulltext' : 'recent';
  const rows = await searchRows(ctx, actor.siteId, text, mode, where, q.limit);

  const needle = text.toLocaleLowerCase();
  const messages = rows.map(toMessage).filter((m) => m.body.toLocaleLowerCase().includes(needle));
  const ids = [...new Set(messages.map((m) => m.conversationId))];
  const queueSla = await queueSlaOf(ctx.db, actor.siteId);
  const convRows = ids.length === 0 ? [] : await selectItemRows(ctx.db).where('c.id', 'in', ids).execute();
  const items = new Map((await toInboxItems(ctx.db, convRows, queueSla)).map((i) => [i.id, i]));
  const hits: SearchHit[] = [];
  for (const message of messages) {
    const conversation = items.get(message.conversationId);
    if (conversation) hits.push({ message, conversation });
  }
  return { hits, mode };
}

/** Newest matching messages first, already restricted to what the actor may see. */
async function searchRows(
  ctx: HubContext,
  siteId: string,
  text: string,
  mode: SearchResult['mode'],
  where: RawBuilder<boolean>,
  limit: number,
): Promise<MessageRow[]> {
  const like = ctx.dbKind === 'postgres' ? sql`ILIKE` : sql`LIKE`;
  const pattern = likePattern(text);
  let query: RawBuilder<MessageRow>;
  if (mode === 'recent') {
    query = sql<MessageRow>`SELECT ${MESSAGE_COLUMNS}
      FROM (SELECT r.id FROM messages r WHERE r.site_id = ${siteId}
            ORDER BY r.created_at DESC LIMIT ${SHORT_QUERY_SCAN}) recent
      JOIN messages m ON m.id = recent.id
      JOIN conversations c ON c.id = m.conversation_id
      WHERE m.body ${like} ${pattern} ESCAPE ${'\\'} AND ${where}
      ORDER BY m.created_at DESC, m.id DESC LIMIT ${limit}`;
  } else if (ctx.dbKind === 'postgres') {
    query = sql<MessageRow>`SELECT ${MESSAGE_COLUMNS}
      FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.site_id = ${siteId} AND m.body ILIKE ${pattern} ESCAPE ${'\\'} AND ${where}
      ORDER BY m.created_at DESC, m.id DESC LIMIT ${limit}`;
  } else {
    // FTS5 walks its index newest rowid first and stops at the limit.
    query = sql<MessageRow>`SELECT ${MESSAGE_COLUMNS}
      FROM messages_fts f JOIN messages m ON m.rowid = f.rowid
      JOIN conversations c ON c.id = m.conversation_id
      WHERE messages_fts MATCH ${ftsPhrase(text)} AND m.site_id = ${siteId} AND ${where}
      ORDER BY f.rowid DESC LIMIT ${limit}`;
  }
  const result = await query.execute(ctx.db);
  return result.rows;
}
