/**
 * Customer 360 over HTTP: profile, timeline, search, notes, tags, merge and
 * undo, and the audited reveal of one masked message. Every route acts on
 * the caller's own site.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_PREFIX, ErrorResponse } from '@shared/api';
import {
  AddNoteRequest,
  CustomerNote,
  CustomerProfile,
  CustomerSearchQuery,
  CustomerSummary,
  MergeRequest,
  MergeResult,
  PutTagsRequest,
  RevealedMessage,
  TimelinePage,
  TimelineQuery,
  UndoMergeResult,
} from '@shared/customers';
import type { HubContext } from '../context';
import { getProfile, searchCustomers } from '../customers/customer-profile';
import { customerTimeline } from '../customers/customer-timeline';
import { addNote, deleteNote, putTags } from '../customers/customer-notes';
import { mergeCustomers, undoMerge } from '../customers/customer-merge';
import { revealMessage } from '../pii/message-reveal';
import { actorOf, authenticator } from './authenticate';

export function customerRoutes(app: FastifyInstance, ctx: HubContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { preHandler: authenticator(ctx) };
  const doc = { tags: ['customers'], security: [{ bearer: [] }] };
  const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
  const Params = z.object({ id: z.string().min(1).max(64) });

  r.get(
    `${API_PREFIX}/customers`,
    {
      ...common,
      schema: { ...doc, querystring: CustomerSearchQuery, response: { 200: z.array(CustomerSummary) } },
    },
    (req) => searchCustomers(ctx.db, actorOf(req), req.query),
  );

  r.get(
    `${API_PREFIX}/customers/:id`,
    { ...common, schema: { ...doc, params: Params, response: { 200: CustomerProfile, ...errors } } },
    (req) => getProfile(ctx.db, actorOf(req), req.params.id),
  );

  r.get(
    `${API_PREFIX}/customers/:id/timeline`,
    {
      ...common,
      schema: {
        ...doc,
        params: Params,
        querystring: TimelineQuery,
        response: { 200: TimelinePage, ...errors },
      },
    },
    (req) => customerTimeline(ctx.db, actorOf(req), req.params.id, req.query),
  );

  r.post(
    `${API_PREFIX}/customers/:id/notes`,
    {
      ...common,
      schema: { ...doc, params: Params, body: AddNoteRequest, response: { 201: CustomerNote, ...errors } },
    },
    async (req, reply) =>
      reply.code(201).send(await addNote(ctx, actorOf(req), req.params.id, req.body.body)),
  );

  r.delete(
    `${API_PREFIX}/customers/:id/notes/:noteId`,
    {
      ...common,
      schema: {
        ...doc,
        params: Params.extend({ noteId: z.string().min(1).max(64) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteNote(ctx, actorOf(req), req.params.id, req.params.noteId);
      return reply.code(204).send(null);
    },
  );

  r.put(
    `${API_PREFIX}/customers/:id/tags`,
    {
      ...common,
      schema: { ...doc, params: Params, body: PutTagsRequest, response: { 200: CustomerProfile, ...errors } },
    },
    (req) => putTags(ctx, actorOf(req), req.params.id, req.body.tags),
  );

  r.post(
    `${API_PREFIX}/customers/:id/merge`,
    {
      ...common,
      schema: { ...doc, params: Params, body: MergeRequest, response: { 200: MergeResult, ...errors } },
    },
    (req) => mergeCustomers(ctx, actorOf(req), req.params.id, req.body.otherId),
  );

  r.post(
    `${API_PREFIX}/customers/merges/:mergeId/undo`,
    {
      ...common,
      schema: {
        ...doc,
        params: z.object({ mergeId: z.string().min(1).max(64) }),
        response: { 200: UndoMergeResult, ...errors },
      },
    },
    (req) => undoMerge(ctx, actorOf(req), req.params.mergeId),
  );

  r.post(
    `${API_PREFIX}/messages/:id/reveal`,
    {
      ...common,
      schema: {
        tags: ['conversations'],
        security: doc.security,
        params: Params,
        response: { 200: RevealedMessage, ...errors },
      },
    },
    (req) => revealMessage(ctx, actorOf(req), req.params.id),
  );
}
