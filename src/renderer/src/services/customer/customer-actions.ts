/**
 * What the customer 360 panel does: load the focused customer's profile and
 * timeline, page back through older history, keep notes and tags, merge two
 * records (supervisors) and undo it, reveal one masked message (supervisors).
 * Results land in the `customer` store; failures are returned for the
 * component to show next to the control that caused them.
 */
import { fail, ok, type Result } from '@shared/errors';
import type { Role } from '@shared/domain';
import type { CustomerSummary } from '@shared/customers';
import { createLogger } from '@renderer/lib/log';
import { useCustomerStore } from '@renderer/stores/customer';
import { useSessionStore } from '@renderer/stores/session';
import { type CustomerApi, createCustomerApi } from './customer-api';

const log = createLogger('customer');

/** Roles the hub lets merge records and reveal masked numbers. */
export const SUPERVISING_ROLES: readonly Role[] = ['supervisor', 'site_manager', 'admin'];

const PAGE = 20;

function api(): CustomerApi | null {
  const { hubUrl, token } = useSessionStore.getState();
  return hubUrl && token ? createCustomerApi(hubUrl, token) : null;
}

const notSignedIn = () => fail('UNAUTHENTICATED', 'not signed in');

/** Loads (or reloads) the profile and the newest page of the timeline of the customer in focus. */
export async function loadCustomer(customerId: string): Promise<void> {
  const client = api();
  if (!client) return;
  const store = useCustomerStore.getState();
  store.loadStarted(customerId);
  const [profile, timeline] = await Promise.all([
    client.profile(customerId),
    client.timeline(customerId, null, PAGE),
  ]);
  if (!profile.ok || !timeline.ok) {
    const error = !profile.ok ? profile.error : !timeline.ok ? timeline.error : null;
    if (error) {
      log.warn('customer not loaded', error);
      useCustomerStore.getState().loadFailed(customerId, error);
    }
    return;
  }
  useCustomerStore.getState().profileLoaded(profile.value);
  useCustomerStore
    .getState()
    .timelineLoaded(customerId, timeline.value.items, timeline.value.nextCursor, false);
  await loadOtherCenters(customerId);
}

/** The other centers' consultations of this customer; the panel works without them when HQ is away. */
export async function loadOtherCenters(customerId: string): Promise<void> {
  const client = api();
  if (!client) return;
  const answer = await client.otherCenters(customerId);
  if (answer.ok) useCustomerStore.getState().otherCentersLoaded(customerId, answer.value);
  else log.warn('other centers not loaded', answer.error);
}

/** Records the customer's group_share consent (given or withdrawn), then asks HQ again. */
export async function setGroupShare(granted: boolean): Promise<Result<null>> {
  const client = api();
  const customerId = useCustomerStore.getState().customerId;
  if (!client || !customerId) return notSignedIn();
  const profile = await client.setConsent(customerId, 'group_share', granted);
  if (!profile.ok) return profile;
  useCustomerStore.getState().profileLoaded(profile.value);
  await loadOtherCenters(customerId);
  return ok(null);
}

export async function loadOlder(): Promise<void> {
  const client = api();
  const { customerId, nextCursor } = useCustomerStore.getState();
  if (!client || !customerId || !nextCursor) return;
  const page = await client.timeline(customerId, nextCursor, PAGE);
  if (page.ok)
    useCustomerStore.getState().timelineLoaded(customerId, page.value.items, page.value.nextCursor, true);
  else log.warn('older timeline not loaded', page.error);
}

export async function addNote(body: string): Promise<Result<null>> {
  const client = api();
  const customerId = useCustomerStore.getState().customerId;
  if (!client || !customerId) return notSignedIn();
  const note = await client.addNote(customerId, body);
  if (!note.ok) return note;
  useCustomerStore.getState().noteAdded(note.value);
  return ok(null);
}

export async function removeNote(noteId: string): Promise<Result<null>> {
  const client = api();
  const customerId = useCustomerStore.getState().customerId;
  if (!client || !customerId) return notSignedIn();
  const removed = await client.removeNote(customerId, noteId);
  if (!removed.ok) return removed;
  useCustomerStore.getState().noteRemoved(noteId);
  return ok(null);
}

export async function saveTags(tags: string[]): Promise<Result<null>> {
  const client = api();
  const customerId = useCustomerStore.getState().customerId;
  if (!client || !customerId) return notSignedIn();
  const saved = await client.putTags(customerId, tags);
  if (!saved.ok) return saved;
  useCustomerStore.getState().profileLoaded(saved.value);
  return ok(null);
}

/** Other records of the site that might be this customer (for a merge). */
export async function findCustomers(query: string): Promise<Result<CustomerSummary[]>> {
  const client = api();
  if (!client) return notSignedIn();
  const found = await client.search(query);
  if (!found.ok) return found;
  const current = useCustomerStore.getState().customerId;
  return ok(found.value.filter((c) => c.id !== current));
}

/** Merges `other` into the customer in focus, which survives; the merge can be undone. */
export async function mergeInto(other: CustomerSummary): Promise<Result<null>> {
  const client = api();
  const survivorId = useCustomerStore.getState().customerId;
  if (!client || !survivorId) return notSignedIn();
  const merged = await client.merge(survivorId, other.id);
  if (!merged.ok) return merged;
  useCustomerStore.getState().merged({ mergeId: merged.value.mergeId, survivorId, mergedName: other.name });
  await loadCustomer(survivorId);
  return ok(null);
}

export async function undoLastMerge(): Promise<Result<null>> {
  const client = api();
  const last = useCustomerStore.getState().lastMerge;
  if (!client || !last) return notSignedIn();
  const undone = await client.undoMerge(last.mergeId);
  if (!undone.ok) return undone;
  useCustomerStore.getState().merged(null);
  if (useCustomerStore.getState().customerId === last.survivorId) await loadCustomer(last.survivorId);
  return ok(null);
}

/** The raw text of one masked message; the hub writes the reveal to its audit log. */
export async function revealMessage(messageId: string): Promise<Result<null>> {
  const client = api();
  if (!client) return notSignedIn();
  const revealed = await client.reveal(messageId);
  if (!revealed.ok) return revealed;
  useCustomerStore.getState().revealedBody(messageId, revealed.value.body);
  return ok(null);
}
