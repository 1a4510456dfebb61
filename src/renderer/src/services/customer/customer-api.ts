/**
 * The hub's customer 360 API for the desk (`/api/v1/customers`, and the
 * audited reveal of one masked message). Every call resolves to a `Result`.
 */
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import {
  type ConsentKind,
  CustomerNote,
  CustomerProfile,
  CustomerSummary,
  MergeResult,
  OtherCentersAnswer,
  RevealedMessage,
  TimelinePage,
  UndoMergeResult,
} from '@shared/customers';
import { ok, type Result } from '@shared/errors';
import { hubFetch, readJson } from '../api/api-client';

type Fetch = typeof fetch;

export function createCustomerApi(hubUrl: string, token: string, fetchImpl: Fetch = (...a) => fetch(...a)) {
  const call = async <S extends z.ZodType>(
    path: string,
    schema: S | null,
    init: RequestInit = {},
  ): Promise<Result<z.infer<S>>> => {
    const r = await hubFetch(`${hubUrl}${API_PREFIX}${path}`, token, init, fetchImpl);
    if (!r.ok) return r;
    return schema ? readJson(r.value, schema) : ok(null as z.infer<S>);
  };
  const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });
  const id = encodeURIComponent;

  return {
    profile: (customerId: string) => call(`/customers/${id(customerId)}`, CustomerProfile),
    timeline: (customerId: string, before?: string | null, limit = 20) =>
      call(
        `/customers/${id(customerId)}/timeline?limit=${limit}${before ? `&before=${id(before)}` : ''}`,
        TimelinePage,
      ),
    search: (query: string) => call(`/customers?query=${id(query)}&limit=10`, z.array(CustomerSummary)),
    addNote: (customerId: string, body: string) =>
      call(`/customers/${id(customerId)}/notes`, CustomerNote, json('POST', { body })),
    removeNote: (customerId: string, noteId: string) =>
      call(`/customers/${id(customerId)}/notes/${id(noteId)}`, null, { method: 'DELETE' }),
    putTags: (customerId: string, tags: string[]) =>
      call(`/customers/${id(customerId)}/tags`, CustomerProfile, json('PUT', { tags })),
    merge: (survivorId: string, otherId: string) =>
      call(`/customers/${id(survivorId)}/merge`, MergeResult, json('POST', { otherId })),
    undoMerge: (mergeId: string) =>
      call(`/customers/merges/${id(mergeId)}/undo`, UndoMergeResult, json('POST', {})),
    reveal: (messageId: string) =>
      call(`/messages/${id(messageId)}/reveal`, RevealedMessage, json('POST', {})),
    otherCenters: (customerId: string) =>
      call(`/customers/${id(customerId)}/other-centers`, OtherCentersAnswer),
    setConsent: (customerId: string, kind: ConsentKind, granted: boolean) =>
      call(`/customers/${id(customerId)}/consents/${kind}`, CustomerProfile, json('PUT', { granted })),
  };
}

export type CustomerApi = ReturnType<typeof createCustomerApi>;
