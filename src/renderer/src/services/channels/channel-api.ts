/**
 * The hub's channel API for the desk: a notification template (알림톡 style)
 * to the customer's phone when their messenger session is over. Resolves to
 * a `Result`; the idempotency key is made once per offer, so a retried
 * click sends one template.
 */
import { API_PREFIX } from '@shared/api';
import type { NotificationTemplate } from '@shared/channels';
import { Message } from '@shared/domain';
import { fail, type Result } from '@shared/errors';
import { useSessionStore } from '@renderer/stores/session';
import { hubJson } from '../api/api-client';

export async function sendTemplate(
  conversationId: string,
  template: NotificationTemplate,
  variables: Record<string, string>,
  commandId: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<Result<Message>> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return fail('UNAUTHENTICATED', 'not signed in');
  return hubJson(
    `${hubUrl}${API_PREFIX}/channels/conversations/${encodeURIComponent(conversationId)}/templates`,
    token,
    Message,
    { method: 'POST', body: JSON.stringify({ commandId, template, variables }) },
    fetchImpl,
  );
}
