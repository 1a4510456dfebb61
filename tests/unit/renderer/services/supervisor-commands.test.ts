// The commands reach desk-session (mocked here), whose host lookup needs the renderer’s globals.
import type {} from '@renderer/env';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '@shared/domain';
import { fail, ok, type Result } from '@shared/errors';
import type { RoutingStats, WorkItemView } from '@shared/protocol';

const sent: { name: string; payload: Record<string, unknown> }[] = [];
let answer: (name: string) => Result<unknown> = () => ok(null);
vi.mock('@renderer/services/desk-session', () => ({
  deskSync: () => ({
    send: async (name: string, payload: Record<string, unknown>) => {
      sent.push({ name, payload });
      return answer(name);
    },
  }),
}));
const refreshWaitQueue = vi.fn(async () => {});
vi.mock('@renderer/services/wait-queue-loader', () => ({ refreshWaitQueue: () => refreshWaitQueue() }));

const { forceAgentState, pickWork, reassignConversation } =
  await import('@renderer/services/supervisor-commands');
const { useAgentStore, getInitialState: agentInitial } = await import('@renderer/stores/agent');
const { useInboxStore, getInitialState: inboxInitial } = await import('@renderer/stores/inbox');
const { useSessionStore, getInitialState: sessionInitial } = await import('@renderer/stores/session');
const { useSupervisionStore, getInitialState: supervisionInitial } =
  await import('@renderer/stores/supervision');
const { useWallboardStore, getInitialState: wallboardInitial } = await import('@renderer/stores/wallboard');

const supervisor = { id: 'sup1', role: 'supervisor' } as User;
const work = (status: WorkItemView['status']): WorkItemView => ({
  id: 'w1',
  siteId: 's1',
  conversationId: 'c1',
  customerId: null,
  channel: 'webchat',
  queueId: 'q1',
  priority: 10,
  vip: false,
  status,
  agentId: status === 'waiting' ? null : 'u1',
  enqueuedAt: '2026-01-01T00:00:00.000Z',
  offerExpiresAt: null,
  acceptedAt: null,
  wrapUpUntil: null,
});
const stats: RoutingStats = {
  siteId: 's1',
  at: '2026-01-01T00:01:00.000Z',
  queues: [],
  agents: [{ agentId: 'u1', state: 'ready', secondsInState: 5, load: 0, items: 0 }],
};

describe('supervisor commands', () => {
  beforeEach(() => {
    sent.length = 0;
    refreshWaitQueue.mockClear();
    useAgentStore.setState(agentInitial());
    useInboxStore.setState(inboxInitial());
    useSessionStore.setState({ ...sessionInitial(), user: supervisor, token: 't' });
    useSupervisionStore.setState(supervisionInitial());
    useWallboardStore.setState({ ...wallboardInitial(), stats });
  });

  it('forces an agent’s state and shows it on the board from the ack', async () => {
    answer = () => ok({ userId: 'u1', state: 'not_ready', reasonCodeId: 'r1', since: stats.at });
    const pending = forceAgentState('u1', 'not_ready', 'r1');
    expect(useSupervisionStore.getState().pending['agent:u1']).toBe(true);
    const result = await pending;
    expect(result.ok).toBe(true);
    expect(sent).toEqual([
      { name: 'agent.forceState', payload: { agentId: 'u1', state: 'not_ready', reasonCodeId: 'r1' } },
    ]);
    expect(useWallboardStore.getState().stats?.agents[0]?.state).toBe('not_ready');
    expect(useSupervisionStore.getState().pending).toEqual({});
    // Someone else's state is not mine.
    expect(useAgentStore.getState().status).toBeNull();
  });

  it('keeps the typed error of a refused state change for that agent', async () => {
    answer = () => fail('INVALID_STATE_TRANSITION', 'no');
    await forceAgentState('u1', 'ready');
    expect(useSupervisionStore.getState().errors['agent:u1']?.code).toBe('INVALID_STATE_TRANSITION');
    expect(useWallboardStore.getState().stats?.agents[0]?.state).toBe('ready');
  });

  it('picks waiting work for an agent; it leaves the wait queue, and a refusal reloads the queue', async () => {
    useSupervisionStore.getState().waitingLoaded([work('waiting')]);
    answer = () => ok(work('active'));
    await pickWork('w1', 'u1');
    expect(sent[0]).toEqual({ name: 'queue.pick', payload: { itemId: 'w1', agentId: 'u1' } });
    expect(useSupervisionStore.getState().waiting).toEqual([]);
    expect(refreshWaitQueue).not.toHaveBeenCalled();

    answer = () => fail('CONFLICT', 'full');
    await pickWork('w2', 'u1');
    expect(useSupervisionStore.getState().errors['pick:w2']?.code).toBe('CONFLICT');
    expect(refreshWaitQueue).toHaveBeenCalledOnce();
  });

  it('reassigns a conversation: once it is someone else’s it leaves my inbox', async () => {
    const conversation = { id: 'c1', assigneeId: 'sup1' } as never;
    useInboxStore.getState().conversationsLoaded([conversation]);
    useInboxStore.getState().select('c1');
    answer = () => ok({ id: 'c1', assigneeId: 'u1' });
    await reassignConversation('c1', 'u1');
    expect(sent[0]).toEqual({
      name: 'conversation.reassign',
      payload: { conversationId: 'c1', agentId: 'u1' },
    });
    expect(useInboxStore.getState().conversations).toEqual({});
    expect(useInboxStore.getState().selectedId).toBeNull();
  });

  it('reports a refused reassign (agent offline) as a typed error for that conversation', async () => {
    answer = () => fail('INVALID_STATE_TRANSITION', 'the agent is offline');
    const result = await reassignConversation('c1', 'u2');
    expect(result.ok).toBe(false);
    expect(useSupervisionStore.getState().errors['reassign:c1']?.code).toBe('INVALID_STATE_TRANSITION');
  });
});
