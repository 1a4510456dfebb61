/** Loads an email conversation's views into the email store, once at a time per conversation. */
import { useEmailStore } from '@renderer/stores/email';
import { fetchEmailViews } from './email-api';

export async function loadEmailViews(conversationId: string): Promise<void> {
  const store = useEmailStore.getState();
  if (store.loading[conversationId]) return;
  store.loadStarted(conversationId);
  const r = await fetchEmailViews(conversationId);
  if (r.ok) useEmailStore.getState().loaded(conversationId, r.value);
  else useEmailStore.getState().loadFailed(conversationId, r.error);
}
