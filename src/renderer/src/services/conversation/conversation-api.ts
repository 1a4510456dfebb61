/**
 * The hub's HTTP reads for the conversation view (its directory, a
 * conversation's attachments and their bytes, a customer's CRM orders) and
 * the visitor typing signal. Every call resolves to a `Result`.
 */
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { CannedResponseView, CustomerOrders, ReplyLimits } from '@shared/conversation-tools';
import { ok, type Result } from '@shared/errors';
import { WEBCHAT_PREFIX } from '@shared/webchat';
import { hubFetch, hubJson } from '../api/api-client';

export const Directory = z.object({
  agents: z.array(
    z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string() }),
  ),
  queues: z.array(z.object({ id: z.string(), name: z.string(), channels: z.array(z.string()) })),
  replyLimits: ReplyLimits,
  canned: z.array(CannedResponseView),
});
const Attachments = z.array(
  z.object({
    id: z.string(),
    messageId: z.string(),
    name: z.string(),
    contentType: z.string(),
    size: z.number(),
  }),
);

type Fetch = typeof fetch;

export function createConversationApi(
  hubUrl: string,
  token: string,
  fetchImpl: Fetch = (...a) => fetch(...a),
) {
  const request = (path: string, init: RequestInit = {}): Promise<Result<Response>> =>
    hubFetch(`${hubUrl}${path}`, token, init, fetchImpl);
  const json = <S extends z.ZodType>(path: string, schema: S): Promise<Result<z.infer<S>>> =>
    hubJson(`${hubUrl}${API_PREFIX}${path}`, token, schema, {}, fetchImpl);
  const id = encodeURIComponent;
  return {
    directory: () => json('/conversation-tools/directory', Directory),
    attachments: (conversationId: string) =>
      json(`/conversations/${id(conversationId)}/attachments`, Attachments),
    orders: (customerId: string) => json(`/customers/${id(customerId)}/orders`, CustomerOrders),
    /** The file's bytes as an object URL (the hub wants the bearer token, which an <img src> cannot send). */
    attachmentUrl: async (attachmentId: string): Promise<Result<string>> => {
      const r = await request(`${WEBCHAT_PREFIX}/attachments/${id(attachmentId)}`);
      if (!r.ok) return r;
      return ok(URL.createObjectURL(await r.value.blob()));
    },
    visitorTyping: (conversationId: string, typing: boolean) =>
      request(`${WEBCHAT_PREFIX}/conversations/${id(conversationId)}/typing`, {
        method: 'POST',
        body: JSON.stringify({ typing }),
      }),
  };
}
export type ConversationApi = ReturnType<typeof createConversationApi>;
