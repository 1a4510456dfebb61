/**
 * The composer's text for the open conversation, kept as a draft per
 * conversation and per signed-in agent (see draft-keeper).
 */
import { useCallback, useEffect, useState } from 'react';
import { useSessionStore } from '@renderer/stores/session';
import { createDraftKeeper, type DraftKeeper } from './draft-keeper';
import { getHost } from './get-host';

let current: { key: string; keeper: DraftKeeper } | null = null;

function keeperFor(hubUrl: string | null, userId: string | null): DraftKeeper | null {
  if (!hubUrl || !userId) return null;
  const key = `${hubUrl}|${userId}`;
  if (current?.key !== key) {
    void current?.keeper.flush();
    current = { key, keeper: createDraftKeeper(getHost(), { hubUrl, userId }) };
  }
  return current.keeper;
}

// A reload or a closed window must not lose the last few keystrokes.
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => void current?.keeper.flush());
}

export function useDraft(conversationId: string | null): {
  draft: string;
  setDraft(body: string): void;
  clearDraft(): Promise<void>;
} {
  const hubUrl = useSessionStore((s) => s.hubUrl);
  const userId = useSessionStore((s) => s.user?.id ?? null);
  const keeper = keeperFor(hubUrl, userId);
  const [state, setState] = useState<{ id: string | null; body: string }>({ id: null, body: '' });

  useEffect(() => {
    if (!conversationId || !keeper) return;
    let active = true;
    void keeper.load(conversationId).then((body) => {
      if (active) setState({ id: conversationId, body });
    });
    return () => {
      active = false;
      // Leaving the conversation: save what is waiting now rather than after the pause.
      void keeper.flush();
    };
  }, [conversationId, keeper]);

  const setDraft = useCallback(
    (body: string) => {
      if (!conversationId) return;
      setState({ id: conversationId, body });
      keeper?.change(conversationId, body);
    },
    [conversationId, keeper],
  );
  const clearDraft = useCallback(async () => {
    if (!conversationId) return;
    setState((s) => (s.id === conversationId ? { id: conversationId, body: '' } : s));
    await keeper?.clear(conversationId);
  }, [conversationId, keeper]);

  // Until the open conversation's draft is loaded, the composer is empty rather than showing another's.
  return { draft: state.id === conversationId ? state.body : '', setDraft, clearDraft };
}
