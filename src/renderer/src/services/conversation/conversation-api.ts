/**
 * The hub's HTTP reads for the conversation view (its directory, a
 * conversation's attachments and their bytes, a customer's CRM orders) and
 * the visitor typing signal. Every call resolves to a `Result`.
 */
import { z } from 'zod';
import { API_PREFIX } from '@shared/api';
import { CannedResponseView, CustomerOrders, ReplyLimits } from '@shared/conversation-tools';
import { fail, ok, type Result } from '@shared/errors';
import { WEBCHAT_PREFIX } from '@shared/webchat';
import { errorFromResponse } from '../api/api-client';

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
  const request = async (path: string, init: RequestInit = {}): Promise<Result<Response>> => {
    let response: Response;
    try {
      response = await fetchImpl(`${hubUrl}${path}`, {
        ...init,
        credentials: 'omit',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        },
      });
    } catch {
      return fail('UNAVAILABLE', 'hub unreachable');
    }
    return response.ok ? ok(response) : errorFromResponse(response);
  };
  const json = async <S extends z.ZodType>(path: string, schema: S): Promise<Result<z.infer<S>>> => {
    const r = await request(`${API_PREFIX}${path}`);
    if (!r.ok) return r;
    try {
      const parsed = schema.safeParse(await r.value.json());
      return parsed.success
        ? ok(parsed.data)
        : fail('INTERNAL', 'unexpected answer from hub', parsed.error.issues);
    } catch {
      return fail('INTERNAL', 'hub answered with invalid JSON');
    }
  };
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
