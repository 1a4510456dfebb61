/**
 * HTTP API contract (`/api/v1`). The hub registers its routes with these
 * schemas (validation and OpenAPI come from the same source); the desk uses the
 * inferred types.
 */
import { z } from 'zod';
import {
  AgentStatus,
  CannedResponse,
  Channel,
  Disposition,
  Id,
  Queue,
  ReasonCode,
  Role,
  Site,
  Skill,
  SkillLevel,
  Team,
  User,
} from './domain';
import { CreateSurveyTemplate, SurveyTemplate } from './surveys';

export const API_PREFIX = '/api/v1';

export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: User,
  site: Site,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({
  user: User,
  site: Site,
  status: AgentStatus,
  reasonCodes: z.array(ReasonCode),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  role: z.enum(['site', 'hq']),
  db: z.enum(['sqlite', 'postgres']),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

// ---- Admin API: create/update bodies per resource. `siteId` is taken from the
// caller's token unless the caller is a group admin, who may name any site.

export const CreateSite = Site.omit({ id: true });
export const CreateTeam = Team.omit({ id: true, siteId: true }).extend({ siteId: Id.optional() });
export const CreateSkill = Skill.omit({ id: true, siteId: true }).extend({ siteId: Id.optional() });
export const CreateUser = z.object({
  siteId: Id.optional(),
  username: z.string().regex(/^[a-z0-9._-]{2,64}$/),
  displayName: z.string().min(1).max(100),
  role: Role,
  teamId: Id.nullable().default(null),
  skills: z.array(SkillLevel).default([]),
  password: z.string().min(8).max(256),
});
export const UpdateUser = CreateUser.omit({ siteId: true, username: true })
  .partial()
  .extend({ active: z.boolean().optional() });
export const CreateQueue = Queue.omit({ id: true, siteId: true }).extend({
  siteId: Id.optional(),
  channels: z.array(Channel).min(1),
});
export const CreateReasonCode = ReasonCode.omit({ id: true, siteId: true }).extend({ siteId: Id.optional() });
export const CreateDisposition = Disposition.omit({ id: true, siteId: true }).extend({
  siteId: Id.optional(),
});
export const CreateCannedResponse = CannedResponse.omit({ id: true, siteId: true }).extend({
  siteId: Id.optional(),
});

/** Admin resources: path segment → [entity schema, create schema]. */
export const ADMIN_RESOURCES = {
  sites: { entity: Site, create: CreateSite },
  teams: { entity: Team, create: CreateTeam },
  skills: { entity: Skill, create: CreateSkill },
  users: { entity: User, create: CreateUser },
  queues: { entity: Queue, create: CreateQueue },
  'reason-codes': { entity: ReasonCode, create: CreateReasonCode },
  dispositions: { entity: Disposition, create: CreateDisposition },
  'canned-responses': { entity: CannedResponse, create: CreateCannedResponse },
  'survey-templates': { entity: SurveyTemplate, create: CreateSurveyTemplate },
} as const;
export type AdminResource = keyof typeof ADMIN_RESOURCES;

export const AgentStatusView = AgentStatus.extend({
  username: z.string(),
  displayName: z.string(),
  /** Seconds in the current state when the answer was made. */
  secondsInState: z.number(),
});
export type AgentStatusView = z.infer<typeof AgentStatusView>;
