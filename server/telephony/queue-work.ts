/**
 * The desk's side of a call that came through a queue number: its hang-up
 * completes the routed work (wrap-up starts) and its wrap-up frees the agent
 * for the next call. Kamailio reports the rest (queue-calls.ts).
 */
import type { Actor, HubContext } from '../context';

/**
 * The desk reports that its part of a routed call ended (hung up or
 * transferred away): the work is complete and wrap-up starts.
 */
export async function deskCallEnded(ctx: HubContext, actor: Actor, itemId: string): Promise<void> {
  if (!ctx.routing) return;
  const router = await ctx.routing.router(actor.siteId);
  await router.step((engine, now) => {
    const item = engine.getItem(itemId);
    if (item?.status === 'active' && item.agentId === actor.userId) engine.complete(itemId, now);
  });
}

/** The agent finished the call's wrap-up at the desk: free for the next call. */
export async function deskWrappedUp(ctx: HubContext, actor: Actor, itemId: string): Promise<void> {
  if (!ctx.routing) return;
  const router = await ctx.routing.router(actor.siteId);
  await router.step((engine, now) => {
    const item = engine.getItem(itemId);
    if (item?.status === 'wrap_up' && item.agentId === actor.userId) engine.endWrapUp(actor.userId, now);
  });
}
