/**
 * The hub's channel API for the desk: a notification template (알림톡 style)
 * to the customer's phone when their messenger session is over. Resolves to
 * a `Result`; the idempotency key is made once per offer, so a retried
 * click sends one template.
 */
import { API_PREFIX } from '@shared/api';
import type { NotificationTemplate } from '@shared/channels';
import { Message } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import { useSessionStore } from '@renderer/stores/session';
import { errorFromResponse } from '../api/api-client';

export async function sendTemplate(
  conversationId: string,
  template: NotificationTemplate,
  variables: Record<string, string>,
  commandId: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<Result<Message>> {
  const { hubUrl, token } = useSessionStore.getState();
  if (!hubUrl || !token) return fail('UNAUTHENTICATED', 'not signed in');
  let response: Response;
  try {
    response = await fetchImpl(
      `${hubUrl}${API_PREFIX}/channels/conversations/${encodeURIComponent(conversationId)}/templates`,
      {
        method: 'POST',
        credentials: 'omit',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ commandId, template, variables }),
      },
    );
  } catch {
    return fail('UNAVAILABLE', 'hub unreachable');
  }
  if (!response.ok) return errorFromResponse(response);
  const parsed = Message.safeParse(await response.json().catch(() => null));
  return parsed.success ? ok(parsed.data) : fail('INTERNAL', 'unexpected answer from hub');
}
