/**
 * Group-wide configuration: HQ versions reason codes, dispositions, canned
 * responses, the skills catalog, group users and survey templates; every center pulls what changed since its
 * version (signed, with its heartbeat) and applies it to each of its sites.
 *
 * Applying is idempotent (keyed by kind + key, guarded by version). A center
 * may change an item locally: from then on it is *overridden* there, HQ's
 * later versions skip it, and the center reports the override so HQ shows
 * who deviates.
 */
import {
  type ConfigPull,
  type ConfigPullResponse,
  GROUP_CONFIG_PAYLOADS,
  type GroupConfigItem,
  type GroupConfigKind,
  type GroupConfigView,
} from '@shared/federation';
import type { HubContext } from '../context';
import { HubError, notFound } from '../errors';
import type { Db } from '../storage/database';
import { newId } from '../storage/ids';

/** The counter row that numbers HQ's config versions (site_counters is a generic counter table). */
const VERSION_COUNTER = '__group_config__';

async function nextVersion(trx: Db): Promise<number> {
  const row = await trx
    .insertInto('site_counters')
    .values({ site_id: VERSION_COUNTER, last_seq: 1 })
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({ last_seq: eb('site_counters.last_seq', '+', 1) })),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq);
}

// ── HQ ────────────────────────────────────────────────────────────────────

/** Sets (payload) or deletes (null) one item at HQ; returns its new version. */
export async function putGroupConfig(
  ctx: HubContext,
  kind: GroupConfigKind,
  key: string,
  payload: unknown,
): Promise<GroupConfigItem> {
  let checked: Record<string, unknown> | null = null;
  if (payload !== null) {
    const parsed = GROUP_CONFIG_PAYLOADS[kind].safeParse(payload);
    if (!parsed.success) {
      throw new HubError('VALIDATION_FAILED', `invalid ${kind}`, parsed.error.issues.slice(0, 20));
    }
    checked = parsed.data as Record<string, unknown>;
  }
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('hq_config')
      .select('payload')
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
    if (checked === null && (!existing || existing.payload === null)) throw notFound(kind);
    const version = await nextVersion(trx);
    const row = {
      kind,
      key,
      version,
      payload: checked === null ? null : JSON.stringify(checked),
      updated_at: Date.now(),
    };
    await trx
      .insertInto('hq_config')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['kind', 'key'])
          .doUpdateSet({ version, payload: row.payload, updated_at: row.updated_at }),
      )
      .execute();
    return { kind, key, version, payload: checked };
  });
}

/** What HQ's list shows: a group user's password hash stays out of it. */
function withoutSecrets(payload: Record<string, unknown>): Record<string, unknown> {
  const { passwordHash: _hidden, ...rest } = payload;
  return rest;
}

export async function listGroupConfig(ctx: HubContext): Promise<GroupConfigView> {
  const items = await ctx.db.selectFrom('hq_config').selectAll().orderBy('kind').orderBy('key').execute();
  const overrides = await ctx.db
    .selectFrom('hq_config_overrides as o')
    .leftJoin('sites as s', 's.id', 'o.site_id')
    .select(['o.site_id', 'o.kind', 'o.key', 'o.reported_at', 's.code'])
    .execute();
  return items.map((i) => ({
    kind: i.kind as GroupConfigKind,
    key: i.key,
    version: Number(i.version),
    payload: i.payload === null ? null : withoutSecrets(JSON.parse(i.payload) as Record<string, unknown>),
    updatedAt: new Date(Number(i.updated_at)).toISOString(),
    overriddenBy: overrides
      .filter((o) => o.kind === i.kind && o.key === i.key)
      .map((o) => ({
        siteId: o.site_id,
        code: o.code ?? null,
        reportedAt: new Date(Number(o.reported_at)).toISOString(),
      })),
  }));
}

/** A center's pull: records its overrides, answers what changed since its version. */
export async function answerPull(
  ctx: HubContext,
  memberId: string,
  pull: ConfigPull,
): Promise<ConfigPullResponse> {
  const own = new Set(
    (await ctx.db.selectFrom('hq_sites').select('site_id').where('member_id', '=', memberId).execute()).map(
      (s) => s.site_id,
    ),
  );
  await ctx.db.transaction().execute(async (trx) => {
    // The member's overrides are replaced as a whole: one it no longer reports is gone.
    if (own.size > 0)
      await trx
        .deleteFrom('hq_config_overrides')
        .where('site_id', 'in', [...own])
        .execute();
    const now = Date.now();
    for (const o of pull.overrides) {
      if (!own.has(o.siteId)) continue;
      await trx
        .insertInto('hq_config_overrides')
        .values({ site_id: o.siteId, kind: o.kind, key: o.key, reported_at: now })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
  const rows = await ctx.db
    .selectFrom('hq_config')
    .selectAll()
    .where('version', '>', pull.since)
    .orderBy('version')
    .execute();
  const head = await ctx.db
    .selectFrom('site_counters')
    .select('last_seq')
    .where('site_id', '=', VERSION_COUNTER)
    .executeTakeFirst();
  return {
    version: Number(head?.last_seq ?? 0),
    items: rows.map((r) => ({
      kind: r.kind as GroupConfigKind,
      key: r.key,
      version: Number(r.version),
      payload: r.payload === null ? null : (JSON.parse(r.payload) as Record<string, unknown>),
    })),
  };
}

// ── a center ──────────────────────────────────────────────────────────────

const TABLES = {
  reason_code: { table: 'reason_codes', keyColumn: 'code' },
  disposition: { table: 'dispositions', keyColumn: 'code' },
  canned_response: { table: 'canned_responses', keyColumn: 'shortcut' },
  skill: { table: 'skills', keyColumn: 'name' },
  user: { table: 'users', keyColumn: 'username' },
  survey_template: { table: 'survey_templates', keyColumn: 'name' },
} as const;

const ADMIN_RESOURCE_KIND: Record<string, GroupConfigKind> = {
  'reason-codes': 'reason_code',
  dispositions: 'disposition',
  'canned-responses': 'canned_response',
  skills: 'skill',
  users: 'user',
  'survey-templates': 'survey_template',
};

function columnsFor(kind: GroupConfigKind, payload: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'reason_code':
      return { label: payload.label, kind: payload.kind };
    case 'disposition':
      return { label: payload.label };
    case 'canned_response':
      return { title: payload.title, body: payload.body };
    case 'skill':
      return {};
    case 'user':
      return {
        display_name: payload.displayName,
        role: payload.role,
        password_hash: payload.passwordHash,
        active: 1,
      };
    case 'survey_template':
      return { questions_json: JSON.stringify(payload) };
  }
}

/** The version this center has applied up to (0: nothing yet). */
export async function appliedVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('site_counters')
    .select('last_seq')
    .where('site_id', '=', VERSION_COUNTER)
    .executeTakeFirst();
  return row ? Number(row.last_seq) : 0;
}

export async function localOverrides(db: Db): Promise<ConfigPull['overrides']> {
  const rows = await db
    .selectFrom('group_config_applied')
    .select(['site_id', 'kind', 'key'])
    .where('overridden', '=', 1)
    .execute();
  return rows.map((r) => ({ siteId: r.site_id, kind: r.kind as GroupConfigKind, key: r.key }));
}

/**
 * Applies HQ's changes to every local site in one transaction, then records
 * the version. Overridden items are left as the center set them; a row the
 * center already had by the same key (made before joining) is adopted.
 */
export async function applyGroupConfig(ctx: HubContext, answer: ConfigPullResponse): Promise<number> {
  if (answer.items.length === 0 && answer.version === (await appliedVersion(ctx.db))) return 0;
  const sites = await ctx.db.selectFrom('sites').select('id').orderBy('created_at').orderBy('id').execute();
  let applied = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const item of answer.items) {
      const { table, keyColumn } = TABLES[item.kind];
      // A user name is unique in a hub: a group user lives at its first site.
      for (const site of item.kind === 'user' ? sites.slice(0, 1) : sites) {
        const mark = await trx
          .selectFrom('group_config_applied')
          .selectAll()
          .where('site_id', '=', site.id)
          .where('kind', '=', item.kind)
          .where('key', '=', item.key)
          .executeTakeFirst();
        if (mark && (Number(mark.overridden) === 1 || Number(mark.version) >= item.version)) continue;
        const local = await (trx as unknown as Db)
          .selectFrom(table as 'skills')
          .select('id')
          .where('site_id', '=', site.id)
          .where(keyColumn as 'name', '=', item.key)
          .executeTakeFirst();
        if (item.payload === null) {
          if (local && item.kind === 'user') {
            // People are never deleted (history refers to them): the account is closed.
            if (mark) await trx.updateTable('users').set({ active: 0 }).where('id', '=', local.id).execute();
          } else if (local) {
            try {
              await trx
                .deleteFrom(table as 'skills')
                .where('id', '=', local.id)
                .execute();
            } catch (err) {
              ctx.log.warn(
                { err, kind: item.kind, key: item.key },
                'group config item still in use here; kept',
              );
            }
          }
          await trx
            .deleteFrom('group_config_applied')
            .where('site_id', '=', site.id)
            .where('kind', '=', item.kind)
            .where('key', '=', item.key)
            .execute();
          applied++;
          continue;
        }
        const columns = columnsFor(item.kind, item.payload);
        if (item.kind === 'user' && local && !mark) {
          // Never take over a center's own account that happens to share the name.
          ctx.log.warn({ username: item.key }, 'group user not applied: a local user has that name');
          continue;
        }
        let localId = local?.id;
        if (localId) {
          if (Object.keys(columns).length > 0) {
            await trx
              .updateTable(table as 'skills')
              .set(columns as never)
              .where('id', '=', localId)
              .execute();
          }
        } else {
          localId = newId();
          await trx
            .insertInto(table as 'skills')
            .values({
              id: localId,
              site_id: site.id,
              [keyColumn]: item.key,
              ...columns,
              ...(item.kind === 'user' ? { team_id: null, skills_json: '[]', created_at: Date.now() } : {}),
            } as never)
            .execute();
        }
        await trx
          .insertInto('group_config_applied')
          .values({
            site_id: site.id,
            kind: item.kind,
            key: item.key,
            version: item.version,
            local_id: localId,
            overridden: 0,
          })
          .onConflict((oc) =>
            oc.columns(['site_id', 'kind', 'key']).doUpdateSet({ version: item.version, local_id: localId }),
          )
          .execute();
        applied++;
      }
    }
    await trx
      .insertInto('site_counters')
      .values({ site_id: VERSION_COUNTER, last_seq: answer.version })
      .onConflict((oc) => oc.column('site_id').doUpdateSet({ last_seq: answer.version }))
      .execute();
  });
  if (applied > 0) ctx.log.info({ applied, version: answer.version }, 'group configuration applied');
  return applied;
}

/**
 * A local admin changed or deleted a row that came from HQ: from now on it is
 * this site's own (HQ's later versions skip it), and HQ is told.
 */
export async function markOverridden(trx: Db, resource: string, localId: string): Promise<void> {
  const kind = ADMIN_RESOURCE_KIND[resource];
  if (!kind) return;
  await trx
    .updateTable('group_config_applied')
    .set({ overridden: 1 })
    .where('kind', '=', kind)
    .where('local_id', '=', localId)
    .execute();
}
