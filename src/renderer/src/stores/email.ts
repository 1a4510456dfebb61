/**
 * The email side of open email conversations: each mail's view by message
 * id, loaded from the hub when a message shows that is not known yet.
 */
import { create } from 'zustand';
import type { EmailView } from '@shared/email';
import type { IeumError } from '@shared/errors';

// ---- State
export interface EmailState {
  /** Views by the shared Message's id. */
  views: Record<string, EmailView>;
  /** Conversations with a load in flight (so many messages ask once). */
  loading: Record<string, boolean>;
  errors: Record<string, IeumError>;
}

export const getInitialState = (): EmailState => ({ views: {}, loading: {}, errors: {} });

// ---- Actions
export interface EmailActions {
  loadStarted(conversationId: string): void;
  loaded(conversationId: string, views: EmailView[]): void;
  loadFailed(conversationId: string, error: IeumError): void;
  reset(): void;
}

export const useEmailStore = create<EmailState & EmailActions>()((set) => ({
  ...getInitialState(),
  loadStarted: (conversationId) => set((s) => ({ loading: { ...s.loading, [conversationId]: true } })),
  loaded: (conversationId, views) =>
    set((s) => {
      const next = { ...s.views };
      for (const v of views) next[v.messageId] = v;
      const { [conversationId]: _done, ...loading } = s.loading;
      const { [conversationId]: _cleared, ...errors } = s.errors;
      return { views: next, loading, errors };
    }),
  loadFailed: (conversationId, error) =>
    set((s) => {
      const { [conversationId]: _done, ...loading } = s.loading;
      return { loading, errors: { ...s.errors, [conversationId]: error } };
    }),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectEmailView =
  (messageId: string) =>
  (s: EmailState): EmailView | undefined =>
    s.views[messageId];
