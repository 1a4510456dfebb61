/**
 * Schema migrations, run on every start (Kysely Migrator). Written with the
 * schema builder and portable types only, so one list serves SQLite and
 * PostgreSQL. Never edit a migration that has shipped: add the next one.
 */
import { type Kysely, type Migration, sql } from 'kysely';

type Db = Kysely<unknown>;

const ms = 'bigint' as const;

export function migrations(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  // Auto-increment primary keys are the one thing the two dialects spell differently.
  const serial = (db: Db, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    '0001_foundation': {
      async up(db: Db) {
        await db.schema
          .createTable('sites')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('code', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('timezone', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        for (const t of ['teams', 'skills']) {
          await db.schema
            .createTable(t)
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
            .addColumn('name', 'text', (c) => c.notNull())
            .addUniqueConstraint(`${t}_site_name`, ['site_id', 'name'])
            .execute();
        }
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('team_id', 'text', (c) => c.references('teams.id'))
          .addColumn('skills_json', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('queues')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('channels_json', 'text', (c) => c.notNull())
          .addColumn('skills_json', 'text', (c) => c.notNull())
          .addColumn('priority', 'integer', (c) => c.notNull())
          .addColumn('sla_seconds', 'integer', (c) => c.notNull())
          .addColumn('sla_target_pct', 'real', (c) => c.notNull())
          .addUniqueConstraint('queues_site_name', ['site_id', 'name'])
          .execute();
        for (const t of ['reason_codes', 'dispositions']) {
          let b = db.schema
            .createTable(t)
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
            .addColumn('code', 'text', (c) => c.notNull())
            .addColumn('label', 'text', (c) => c.notNull())
            .addUniqueConstraint(`${t}_site_code`, ['site_id', 'code']);
          if (t === 'reason_codes') b = b.addColumn('kind', 'text', (c) => c.notNull());
          await b.execute();
        }
        await db.schema
          .createTable('canned_responses')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('shortcut', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addUniqueConstraint('canned_site_shortcut', ['site_id', 'shortcut'])
          .execute();
        await db.schema
          .createTable('customers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('segment', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('identities')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('handle', 'text', (c) => c.notNull())
          .addUniqueConstraint('identities_handle', ['site_id', 'channel', 'handle'])
          .execute();
        await db.schema
          .createTable('conversations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('queue_id', 'text', (c) => c.references('queues.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
          .addColumn('subject', 'text')
          .addColumn('waiting_since', ms)
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('last_message_at', ms)
          .execute();
        await db.schema
          .createIndex('conversations_assignee')
          .on('conversations')
          .columns(['site_id', 'assignee_id', 'last_message_at'])
          .execute();
        await db.schema
          .createIndex('conversations_customer')
          .on('conversations')
          .columns(['customer_id'])
          .execute();
        await db.schema
          .createTable('messages')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('author_id', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          // A client id is unique per sender: the desk's commandId, which only that user's desk makes.
          .addUniqueConstraint('messages_client_id', ['site_id', 'author_id', 'client_id'])
          .execute();
        await db.schema
          .createIndex('messages_conversation')
          .on('messages')
          .columns(['conversation_id', 'created_at'])
          .execute();
        await db.schema
          .createTable('agent_status')
          .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reason_code_id', 'text')
          .addColumn('since', ms, (c) => c.notNull())
          .execute();
        await serial(db, 'agent_state_history')
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reason_code_id', 'text')
          .addColumn('started_at', ms, (c) => c.notNull())
          .addColumn('ended_at', ms)
          .execute();
        await db.schema
          .createIndex('agent_state_history_user')
          .on('agent_state_history')
          .columns(['user_id', 'started_at'])
          .execute();
        await db.schema
          .createTable('events')
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('seq', ms, (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('events_pk', ['site_id', 'seq'])
          .execute();
        await db.schema
          .createTable('site_counters')
          .addColumn('site_id', 'text', (c) => c.primaryKey())
          .addColumn('last_seq', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('user_feed')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('seq', ms, (c) => c.notNull())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('event_seq', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('user_feed_pk', ['user_id', 'seq'])
          .execute();
        await db.schema
          .createTable('user_cursors')
          .addColumn('user_id', 'text', (c) => c.primaryKey())
          .addColumn('last_seq', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('commands')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('command_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('commands_pk', ['user_id', 'command_id'])
          .execute();
        await serial(db, 'audit_log')
          .addColumn('site_id', 'text')
          .addColumn('actor_id', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text')
          .addColumn('ip', 'text')
          .addColumn('at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').columns(['site_id', 'at']).execute();
      },
    },
    // Multi-site: a site hub's link to HQ, and at HQ the enrolled hubs and their sites.
    '0002_federation': {
      async up(db: Db) {
        // Site side: one row per HQ link (a hub reports to one HQ).
        await db.schema
          .createTable('federation_link')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('hq_url', 'text', (c) => c.notNull())
          .addColumn('member_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('enrolled_at', ms, (c) => c.notNull())
          .execute();
        // Site side: how far HQ has acknowledged each local site's log.
        await db.schema
          .createTable('federation_cursors')
          .addColumn('site_id', 'text', (c) => c.primaryKey())
          .addColumn('acked_seq', ms, (c) => c.notNull())
          .addColumn('acked_at', ms, (c) => c.notNull())
          .execute();
        // HQ side: one-time enrollment tokens (only their hash is kept).
        await db.schema
          .createTable('hq_enrollments')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('expires_at', ms, (c) => c.notNull())
          .addColumn('used_at', ms)
          .addColumn('member_id', 'text')
          .execute();
        // HQ side: enrolled site hubs and the key they sign with.
        await db.schema
          .createTable('hq_members')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('enrolled_at', ms, (c) => c.notNull())
          .addColumn('revoked_at', ms)
          .execute();
        // HQ side: each replicated site, its applied cursor, and contact times (HQ's clock).
        await db.schema
          .createTable('hq_sites')
          .addColumn('site_id', 'text', (c) => c.primaryKey())
          .addColumn('member_id', 'text', (c) => c.notNull().references('hq_members.id'))
          .addColumn('last_seq', ms, (c) => c.notNull())
          .addColumn('head_seq', ms, (c) => c.notNull())
          .addColumn('last_contact_at', ms)
          .addColumn('last_event_at', ms)
          .execute();
      },
    },
    // Routing (ACD): queue and site settings, the work items, today's counters.
    '0003_routing': {
      async up(db: Db) {
        await db.schema
          .alterTable('queues')
          .addColumn('routing_json', 'text', (c) => c.notNull().defaultTo('{}'))
          .execute();
        await db.schema
          .alterTable('sites')
          .addColumn('routing_json', 'text', (c) => c.notNull().defaultTo('{}'))
          .execute();
        await db.schema
          .createTable('work_items')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('seq', ms, (c) => c.notNull())
          .addColumn('conversation_id', 'text')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('queue_id', 'text', (c) => c.notNull())
          .addColumn('original_queue_id', 'text', (c) => c.notNull())
          .addColumn('priority', 'integer', (c) => c.notNull())
          .addColumn('vip', 'integer', (c) => c.notNull())
          .addColumn('complexity', 'text')
          .addColumn('customer_id', 'text')
          .addColumn('last_agent_id', 'text')
          .addColumn('enqueued_at', ms, (c) => c.notNull())
          .addColumn('queue_entered_at', ms, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('agent_id', 'text')
          .addColumn('offer_expires_at', ms)
          .addColumn('accepted_at', ms)
          .addColumn('wrap_up_until', ms)
          .addColumn('due_at', ms)
          .addColumn('wait_ms', ms)
          .addColumn('ended_at', ms)
          .execute();
        await db.schema
          .createIndex('work_items_live')
          .on('work_items')
          .columns(['site_id', 'status', 'seq'])
          .execute();
        await db.schema
          .createTable('routing_counters')
          .addColumn('site_id', 'text', (c) => c.primaryKey())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('counters_json', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // Telephony: every call a desk handled, with its durations and wrap-up (issue 5).
    '0004_telephony': {
      async up(db: Db) {
        await db.schema
          .createTable('calls')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('agent_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('call_id', 'text', (c) => c.notNull())
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('remote', 'text', (c) => c.notNull())
          .addColumn('remote_name', 'text')
          .addColumn('customer_id', 'text')
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('offered_at', ms, (c) => c.notNull())
          .addColumn('answered_at', ms)
          .addColumn('held_since', ms)
          .addColumn('hold_ms', ms, (c) => c.notNull().defaultTo(0))
          .addColumn('ended_at', ms)
          .addColumn('end_reason', 'text')
          .addColumn('disposition_id', 'text')
          .addColumn('note', 'text')
          .addColumn('wrapped_up_at', ms)
          .addUniqueConstraint('calls_agent_call', ['agent_id', 'call_id'])
          .execute();
        await db.schema
          .createIndex('calls_site_offered')
          .on('calls')
          .columns(['site_id', 'offered_at'])
          .execute();
        await db.schema.createIndex('calls_customer').on('calls').columns(['customer_id']).execute();
      },
    },
    // HQ: the centers' people by name, for the group wallboard (no passwords travel).
    '0005_hq_directory': {
      async up(db: Db) {
        await db.schema
          .createTable('hq_site_users')
          .addColumn('user_id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .execute();
      },
    },
    // Group configuration: versioned at HQ, applied at each center, overrides visible at HQ.
    '0006_group_config': {
      async up(db: Db) {
        await db.schema
          .createTable('hq_config')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('version', ms, (c) => c.notNull())
          .addColumn('payload', 'text')
          .addColumn('updated_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('hq_config_pk', ['kind', 'key'])
          .execute();
        await db.schema
          .createTable('hq_config_overrides')
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('reported_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('hq_config_overrides_pk', ['site_id', 'kind', 'key'])
          .execute();
        await db.schema
          .createTable('group_config_applied')
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('version', ms, (c) => c.notNull())
          .addColumn('local_id', 'text', (c) => c.notNull())
          .addColumn('overridden', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('group_config_applied_pk', ['site_id', 'kind', 'key'])
          .execute();
      },
    },
    // Web chat: visitor sessions with consent, the visitor's feed, attachments and surveys (issue 4).
    '0007_webchat': {
      async up(db: Db) {
        await db.schema
          .createTable('webchat_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
          .addColumn('conversation_id', 'text', (c) => c.notNull().unique().references('conversations.id'))
          .addColumn('queue_id', 'text', (c) => c.notNull())
          .addColumn('work_item_id', 'text')
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('consent_at', ms, (c) => c.notNull())
          .addColumn('consent_version', 'text', (c) => c.notNull())
          .addColumn('agent_read_seq', ms, (c) => c.notNull().defaultTo(0))
          .addColumn('visitor_read_seq', ms, (c) => c.notNull().defaultTo(0))
          .addColumn('resolved_at', ms)
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('webchat_feed')
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('seq', ms, (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('ref', 'text')
          .addColumn('at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('webchat_feed_pk', ['conversation_id', 'seq'])
          .addUniqueConstraint('webchat_feed_ref', ['conversation_id', 'ref'])
          .execute();
        await db.schema
          .createTable('webchat_attachments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('content_type', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('surveys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull().unique())
          .addColumn('customer_id', 'text', (c) => c.notNull())
          .addColumn('csat', 'integer', (c) => c.notNull())
          .addColumn('nps', 'integer')
          .addColumn('ces', 'integer')
          .addColumn('answered_at', ms, (c) => c.notNull())
          .execute();
      },
    },
    // Customer 360: lifetime value, consents and tags on the customer, notes, and merges with their undo record.
    '0008_customers': {
      async up(db: Db) {
        await db.schema
          .alterTable('customers')
          .addColumn('lifetime_value', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('customers')
          .addColumn('consent_json', 'text', (c) => c.notNull().defaultTo('{}'))
          .execute();
        await db.schema
          .alterTable('customers')
          .addColumn('tags_json', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
        await db.schema.alterTable('customers').addColumn('merged_into', 'text').execute();
        await db.schema
          .createIndex('customers_site_name')
          .on('customers')
          .columns(['site_id', 'name'])
          .execute();
        await db.schema
          .createIndex('identities_customer')
          .on('identities')
          .columns(['customer_id'])
          .execute();
        await db.schema
          .createTable('customer_notes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
          .addColumn('author_id', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('customer_notes_customer')
          .on('customer_notes')
          .columns(['customer_id', 'created_at'])
          .execute();
        await db.schema
          .createTable('customer_merges')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('survivor_id', 'text', (c) => c.notNull())
          .addColumn('merged_id', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('moved_json', 'text', (c) => c.notNull())
          .addColumn('survivor_before_json', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('undone_at', ms)
          .addColumn('undone_by', 'text')
          .execute();
      },
    },
    // Reports read a site's log by time (today's KPIs, the HQ board): without
    // this they scanned the whole log, which at a million events took seconds.
    '0009_events_by_time': {
      async up(db: Db) {
        await db.schema.createIndex('events_site_at').on('events').columns(['site_id', 'at']).execute();
      },
    },
    // Conversation tags: set in the conversation view, filtered on in the inbox.
    // Their own table (not a JSON column) so the inbox filter is an indexed join.
    '0010_conversation_tags': {
      async up(db: Db) {
        await db.schema
          .createTable('conversation_tags')
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
          .addColumn('tag', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('conversation_tags_pk', ['conversation_id', 'tag'])
          .execute();
        await db.schema
          .createIndex('conversation_tags_site_tag')
          .on('conversation_tags')
          .columns(['site_id', 'tag'])
          .execute();
      },
    },
    // The inbox: keyset paging by last activity, and message search that works
    // for Korean (no word boundaries to tokenize on, so trigrams of characters).
    '0011_inbox_search': {
      async up(db: Db) {
        await sql`CREATE INDEX conversations_site_activity ON conversations
          (site_id, (coalesce(last_message_at, created_at)) DESC, id DESC)`.execute(db);
        // Short queries (below a trigram) scan the site's newest messages.
        await db.schema
          .createIndex('messages_site_created')
          .on('messages')
          .columns(['site_id', 'created_at'])
          .execute();
        if (dialect === 'postgres') {
          // pg_trgm ships in Debian's postgresql-15 (contrib) and is a trusted extension.
          await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
          await sql`CREATE INDEX messages_body_trgm ON messages USING gin (body gin_trgm_ops)`.execute(db);
          return;
        }
        // External-content FTS5 over messages.body, kept in step by triggers in
        // the writer's own transaction, so a committed message is searchable.
        // Its rowid is the message's rowid: insertion order, i.e. newest last.
        await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
          body, content='messages', content_rowid='rowid', tokenize='trigram')`.execute(db);
        await sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`.execute(db);
        await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
          INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END`.execute(db);
        await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
          INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body); END`.execute(
          db,
        );
        await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
          INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
          INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END`.execute(db);
      },
    },
    // The conversation view's tools: a snooze that a restarted hub rebuilds its
    // timers from (snoozed_until), the pointer a merged conversation keeps to
    // the one it went into, and files that canned responses carry.
    '0012_conversation_tools': {
      async up(db: Db) {
        await db.schema.alterTable('conversations').addColumn('snoozed_until', ms).execute();
        await db.schema.alterTable('conversations').addColumn('merged_into', 'text').execute();
        await db.schema
          .createIndex('conversations_snoozed')
          .on('conversations')
          .columns(['status', 'snoozed_until'])
          .execute();
        await db.schema
          .createTable('canned_attachments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('canned_id', 'text', (c) => c.notNull().references('canned_responses.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('content_type', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('canned_attachments_canned')
          .on('canned_attachments')
          .columns(['canned_id'])
          .execute();
      },
    },
    // Channels (issue 8): the channel a message went by and the provider's id of
    // an inbound one (unique, so a webhook delivered twice stores one message),
    // the delivery of every outbound message on an adapter channel, the nonces
    // of signed webhooks (replay protection), and messenger consultation sessions.
    '0013_channels': {
      async up(db: Db) {
        await db.schema.alterTable('messages').addColumn('channel', 'text').execute();
        await db.schema.alterTable('messages').addColumn('provider_message_id', 'text').execute();
        await db.schema
          .createIndex('messages_provider_id')
          .on('messages')
          .columns(['site_id', 'channel', 'provider_message_id'])
          .unique()
          .execute();
        await db.schema
          .createTable('message_deliveries')
          .addColumn('message_id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('recipient', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('kind', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', ms)
          .addColumn('provider_message_id', 'text')
          .addColumn('reason', 'text')
          .addColumn('detail', 'text')
          .addColumn('request_json', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('message_deliveries_due')
          .on('message_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('message_deliveries_provider_id')
          .on('message_deliveries')
          .columns(['channel', 'provider_message_id'])
          .execute();
        await db.schema
          .createTable('webhook_nonces')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('nonce', 'text', (c) => c.notNull())
          .addColumn('received_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('webhook_nonces_pk', ['channel', 'nonce'])
          .execute();
        await db.schema
          .createIndex('webhook_nonces_received')
          .on('webhook_nonces')
          .columns(['received_at'])
          .execute();
        await db.schema
          .createTable('channel_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('handle', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('opened_at', ms, (c) => c.notNull())
          .addColumn('last_inbound_at', ms, (c) => c.notNull())
          .addColumn('expires_at', ms, (c) => c.notNull())
          .addColumn('ended_at', ms)
          .execute();
        await db.schema
          .createIndex('channel_sessions_handle')
          .on('channel_sessions')
          .columns(['site_id', 'channel', 'handle'])
          .execute();
      },
    },
    // Calls to a queue number (issue 5): Kamailio asks the hub which agent rings.
    // A queue's numbers, the routed call behind each voice work item (its SIP
    // Call-ID, who rings now), and the desk's call record tied to its work item,
    // so the desk's hang-up and wrap-up finish the routed work.
    '0014_telephony_queue': {
      async up(db: Db) {
        await db.schema
          .createTable('queue_numbers')
          .addColumn('number', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id'))
          .execute();
        await db.schema
          .createTable('queue_calls')
          .addColumn('item_id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('sip_call_id', 'text', (c) => c.notNull().unique())
          .addColumn('number', 'text', (c) => c.notNull())
          .addColumn('caller', 'text', (c) => c.notNull())
          .addColumn('agent_id', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.alterTable('calls').addColumn('work_item_id', 'text').execute();
      },
    },
    // Email (issue 8): each mail's headers and sanitised HTML beside its shared
    // message (threading looks Message-IDs up here), the attachments, and one
    // IMAP cursor per mailbox, written in the same transaction as the mail it
    // passed so a restart neither loses nor repeats one.
    '0015_email': {
      async up(db: Db) {
        await db.schema
          .createTable('email_messages')
          .addColumn('message_id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('header_message_id', 'text', (c) => c.notNull())
          .addColumn('in_reply_to', 'text')
          .addColumn('references_text', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('thread_subject', 'text', (c) => c.notNull())
          .addColumn('from_address', 'text', (c) => c.notNull())
          .addColumn('from_name', 'text', (c) => c.notNull())
          .addColumn('to_json', 'text', (c) => c.notNull())
          .addColumn('cc_json', 'text', (c) => c.notNull())
          .addColumn('html', 'text')
          .addColumn('quoted_html', 'text')
          .addColumn('quoted_text', 'text')
          .addColumn('auto_reason', 'text')
          .addColumn('malformed', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('status_detail', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('email_messages_header_id')
          .on('email_messages')
          .columns(['site_id', 'header_message_id'])
          .execute();
        await db.schema
          .createIndex('email_messages_thread_subject')
          .on('email_messages')
          .columns(['site_id', 'thread_subject', 'from_address'])
          .execute();
        await db.schema
          .createIndex('email_messages_conversation')
          .on('email_messages')
          .columns(['conversation_id', 'created_at'])
          .execute();
        await db.schema
          .createTable('email_attachments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('content_type', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('content_id', 'text')
          .addColumn('stored', 'integer', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('email_attachments_message')
          .on('email_attachments')
          .columns(['message_id'])
          .execute();
        await db.schema
          .createTable('email_cursors')
          .addColumn('mailbox', 'text', (c) => c.primaryKey())
          .addColumn('uid_validity', 'text', (c) => c.notNull())
          .addColumn('last_uid', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
      },
    },
    // Multi-site (issue 7): survey templates at a site; at HQ the consultations of
    // customers who agreed to share them across the group, found by a hash of
    // their phone/email; overflow transfers between sites, at the sites and at HQ.
    '0016_multisite': {
      async up(db: Db) {
        await db.schema
          .createTable('survey_templates')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('questions_json', 'text', (c) => c.notNull())
          .addUniqueConstraint('survey_templates_site_name', ['site_id', 'name'])
          .execute();
        await db.schema
          .createTable('hq_shared_customers')
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('customer_ref', 'text', (c) => c.notNull())
          .addColumn('consent_at', ms, (c) => c.notNull())
          .addColumn('entries_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('hq_shared_customers_pk', ['site_id', 'customer_ref'])
          .execute();
        await db.schema
          .createTable('hq_shared_keys')
          .addColumn('key_hash', 'text', (c) => c.notNull())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('customer_ref', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('hq_shared_keys_pk', ['site_id', 'customer_ref', 'key_hash'])
          .execute();
        await db.schema.createIndex('hq_shared_keys_hash').on('hq_shared_keys').column('key_hash').execute();
        await db.schema
          .createTable('overflow_transfers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('work_item_id', 'text')
          .addColumn('conversation_id', 'text')
          .addColumn('to_site_code', 'text', (c) => c.notNull())
          .addColumn('to_queue', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('hq_overflow')
          .addColumn('transfer_id', 'text', (c) => c.primaryKey())
          .addColumn('from_site_id', 'text', (c) => c.notNull())
          .addColumn('to_site_id', 'text', (c) => c.notNull())
          .addColumn('to_queue', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('hq_overflow_to_state')
          .on('hq_overflow')
          .columns(['to_site_id', 'state'])
          .execute();
      },
    },
    // A consultation call (attended transfer) names the customer call it was made for.
    '0017_consult_calls': {
      async up(db: Db) {
        await db.schema.alterTable('calls').addColumn('consult_of', 'text').execute();
      },
    },
  };
}
