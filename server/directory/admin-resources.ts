/**
 * The admin resources (sites, teams, skills, users, queues, reason codes,
 * dispositions, canned responses): how each maps between its shared schema
 * and its table. The admin routes are generated from this table, so every
 * resource gets the same scoping, validation, audit and error handling.
 */
import type { z } from 'zod';
import {
  ADMIN_RESOURCES,
  type AdminResource,
  CreateCannedResponse,
  CreateDisposition,
  CreateQueue,
  CreateReasonCode,
  CreateSite,
  CreateSkill,
  CreateTeam,
  UpdateUser,
} from '@shared/api';
import type { Role } from '@shared/domain';
import { CreateSurveyTemplate } from '@shared/surveys';
import { toSurveyTemplate } from '../channels/webchat/survey-templates';
import { hashPassword } from '../auth/passwords';
import {
  toCannedResponse,
  toDisposition,
  toQueue,
  toReasonCode,
  toSite,
  toSkill,
  toTeam,
  toUser,
} from '../storage/rows';

type Row = Record<string, unknown>;
type Input = Record<string, unknown>;

export interface ResourceDef {
  table: string;
  /** Rows belong to a site (all but `sites`). */
  siteScoped: boolean;
  update: z.ZodType<Input>;
  writeRoles: readonly Role[];
  deletable: boolean;
  toEntity(row: Row): unknown;
  /** Columns for a new row, from a validated create body. */
  toRow(input: Input): Promise<Row>;
  /** Columns to change, from a validated update body. */
  toPatch(input: Input): Promise<Row>;
}

const MANAGERS: readonly Role[] = ['admin', 'site_manager'];

/** Copies the keys present in `input` to their column names. */
function columns(map: Record<string, string>, json: readonly string[] = []) {
  return async (input: Input): Promise<Row> => {
    const row: Row = {};
    for (const [key, column] of Object.entries(map)) {
      if (input[key] === undefined) continue;
      row[column] = json.includes(key) ? JSON.stringify(input[key]) : input[key];
    }
    return row;
  };
}

const simple = (
  table: string,
  create: z.ZodObject,
  map: Record<string, string>,
  toEntity: (row: never) => unknown,
  json: readonly string[] = [],
): ResourceDef => ({
  table,
  siteScoped: true,
  update: create.omit({ siteId: true } as never).partial() as unknown as z.ZodType<Input>,
  writeRoles: MANAGERS,
  deletable: true,
  toEntity: toEntity as (row: Row) => unknown,
  toRow: columns(map, json),
  toPatch: columns(map, json),
});

export const RESOURCE_DEFS: Record<AdminResource, ResourceDef> = {
  sites: {
    table: 'sites',
    siteScoped: false,
    update: CreateSite.partial() as unknown as z.ZodType<Input>,
    writeRoles: ['admin'],
    deletable: false,
    toEntity: toSite as (row: Row) => unknown,
    toRow: async (i) => ({
      ...(await columns({ code: 'code', name: 'name', timezone: 'timezone' })(i)),
      created_at: Date.now(),
    }),
    toPatch: columns({ code: 'code', name: 'name', timezone: 'timezone' }),
  },
  teams: simple('teams', CreateTeam, { name: 'name' }, toTeam),
  skills: simple('skills', CreateSkill, { name: 'name' }, toSkill),
  users: {
    table: 'users',
    siteScoped: true,
    update: UpdateUser as unknown as z.ZodType<Input>,
    writeRoles: MANAGERS,
    // Users are deactivated (PATCH active=false), never deleted: history refers to them.
    deletable: false,
    toEntity: toUser as (row: Row) => unknown,
    toRow: async (i) => ({
      ...(await columns(
        {
          username: 'username',
          displayName: 'display_name',
          role: 'role',
          teamId: 'team_id',
          skills: 'skills_json',
        },
        ['skills'],
      )(i)),
      password_hash: await hashPassword(String(i.password)),
      active: 1,
      created_at: Date.now(),
    }),
    toPatch: async (i) => ({
      ...(await columns(
        { displayName: 'display_name', role: 'role', teamId: 'team_id', skills: 'skills_json' },
        ['skills'],
      )(i)),
      ...(i.password !== undefined ? { password_hash: await hashPassword(String(i.password)) } : {}),
      ...(i.active !== undefined ? { active: i.active ? 1 : 0 } : {}),
    }),
  },
  queues: simple(
    'queues',
    CreateQueue,
    {
      name: 'name',
      channels: 'channels_json',
      skills: 'skills_json',
      priority: 'priority',
      slaSeconds: 'sla_seconds',
      slaTargetPct: 'sla_target_pct',
      routing: 'routing_json',
    },
    toQueue,
    ['channels', 'skills', 'routing'],
  ),
  'reason-codes': simple(
    'reason_codes',
    CreateReasonCode,
    { code: 'code', label: 'label', kind: 'kind' },
    toReasonCode,
  ),
  dispositions: simple('dispositions', CreateDisposition, { code: 'code', label: 'label' }, toDisposition),
  'canned-responses': simple(
    'canned_responses',
    CreateCannedResponse,
    { shortcut: 'shortcut', title: 'title', body: 'body' },
    toCannedResponse,
  ),
  'survey-templates': simple(
    'survey_templates',
    CreateSurveyTemplate,
    { name: 'name', questions: 'questions_json' },
    toSurveyTemplate,
    ['questions'],
  ),
};

export const createSchema = (resource: AdminResource) => ADMIN_RESOURCES[resource].create;
export const entitySchema = (resource: AdminResource) => ADMIN_RESOURCES[resource].entity;
