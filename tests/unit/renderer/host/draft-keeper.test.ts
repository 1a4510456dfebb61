import { describe, expect, it, vi } from 'vitest';
import { ok } from '@shared/errors';
import { createBrowserHost, type BrowserEnv } from '@renderer/host/browser-host';
import { createDraftKeeper, type DraftTimers } from '@renderer/host/draft-keeper';

const scope = { hubUrl: 'http://hub.test', userId: 'u-1' };

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

/** Timers the test fires by hand, so nothing waits on the clock. */
function manualTimers() {
  let next = 0;
  const pending = new Map<number, () => void>();
  const timers: DraftTimers = {
    setTimeout: (callback) => {
      pending.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const fire = () => {
    const callbacks = [...pending.values()];
    pending.clear();
    for (const callback of callbacks) callback();
  };
  return { timers, fire, pending };
}

function browserHost() {
  const local = memoryStorage();
  const env: BrowserEnv = {
    localStorage: local,
    sessionStorage: memoryStorage(),
    document: { title: '' },
    location: { search: '' },
    navigator: { userAgent: 'test' },
  };
  return { host: createBrowserHost(env), local };
}

describe('draft keeper', () => {
  it('saves once after the agent pauses, not on every key', async () => {
    const { host } = browserHost();
    const saveDraft = vi.spyOn(host, 'saveDraft');
    const { timers, fire } = manualTimers();
    const keeper = createDraftKeeper(host, scope, 400, timers);
    keeper.change('c-1', '안');
    keeper.change('c-1', '안녕');
    keeper.change('c-1', '안녕하세요');
    expect(saveDraft).not.toHaveBeenCalled();
    fire();
    await vi.waitFor(() => expect(saveDraft).toHaveBeenCalledTimes(1));
    expect(saveDraft).toHaveBeenCalledWith({ scope, conversationId: 'c-1', body: '안녕하세요' });
  });

  it('keeps a draft per conversation, and a new page (a reload) reads it back from storage', async () => {
    const { host } = browserHost();
    const { timers } = manualTimers();
    const keeper = createDraftKeeper(host, scope, 400, timers);
    keeper.change('c-1', '첫 번째 상담 초안');
    keeper.change('c-2', '두 번째');
    expect(await keeper.load('c-1')).toBe('첫 번째 상담 초안');
    await keeper.flush();

    const afterReload = createDraftKeeper(host, scope, 400, manualTimers().timers);
    expect(await afterReload.load('c-1')).toBe('첫 번째 상담 초안');
    expect(await afterReload.load('c-2')).toBe('두 번째');
    expect(await afterReload.load('c-3')).toBe('');
    // Another agent on the same machine does not see it.
    const other = createDraftKeeper(host, { ...scope, userId: 'u-2' }, 400, manualTimers().timers);
    expect(await other.load('c-1')).toBe('');
  });

  it('clears the draft on send, including a save still waiting for its pause', async () => {
    const { host, local } = browserHost();
    const { timers, fire, pending } = manualTimers();
    const keeper = createDraftKeeper(host, scope, 400, timers);
    keeper.change('c-1', '보낼 답장');
    await keeper.flush();
    expect([...local.data.values()]).toContain('보낼 답장');
    keeper.change('c-1', '보낼 답장!');
    await keeper.clear('c-1');
    expect(pending.size).toBe(0);
    fire();
    expect([...local.data.values()]).not.toContain('보낼 답장');
    expect(await keeper.load('c-1')).toBe('');
    expect(await createDraftKeeper(host, scope, 400, timers).load('c-1')).toBe('');
  });

  it('lets typing that began while the disk was answering win', async () => {
    let answer: (value: string) => void = () => undefined;
    const store = {
      saveDraft: vi.fn(async () => ok(null)),
      loadDraft: vi.fn(
        () => new Promise<ReturnType<typeof ok<string | null>>>((r) => (answer = (v) => r(ok(v)))),
      ),
    };
    const keeper = createDraftKeeper(store, scope, 400, manualTimers().timers);
    const loading = keeper.load('c-1');
    keeper.change('c-1', '새로 입력');
    answer('예전 초안');
    expect(await loading).toBe('새로 입력');
  });
});
