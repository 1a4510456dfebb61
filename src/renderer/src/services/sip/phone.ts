/**
 * The desk's phone: one sip.js `SessionManager` registered with Kamailio using
 * the time-limited credentials the hub issues. Its delegate callbacks become
 * `calls` store actions; components call the functions exported here.
 */
import { Invitation, Inviter, type Session, SessionState, Web } from 'sip.js';
import { SIP_NOT_CONFIGURED, type SipCredentials } from '@shared/telephony';
import type { OutboxScope } from '@shared/outbox';
import { getHost } from '@renderer/host/get-host';
import { createLogger } from '@renderer/lib/log';
import { useCallsStore, type PhoneProblem } from '@renderer/stores/calls';
import { useCustomerStore } from '@renderer/stores/customer';
import { playRing } from '@renderer/host/ring-tone';
import { loadAudioDevices, microphoneConstraints, routeTo } from '@renderer/services/audio/audio-devices';
import { selectNotificationVolume, useSettingsStore } from '@renderer/stores/settings';
import { readCallQuality } from './call-quality';
import {
  keepCallsOnDisconnect,
  probeUntilSettled,
  reinviteUntilSettled,
  type RecoveryOutcome,
} from './call-recovery';
import { createCallReporter, type CallReporter } from './call-reporter';
import { dialTarget, remoteParty } from './dial-target';
import { renewalDelayMs } from './credential-renewal';
import { offerProblem } from './offer-check';
import { mediaProblem, rejectProblem } from './phone-problem';
import { fetchSipCredentials } from './sip-credentials';

const log = createLogger('phone');
/** How long to wait before asking an unreachable hub for SIP credentials again. */
const CREDENTIALS_RETRY_MS = 5_000;
const calls = () => useCallsStore.getState();

interface Line {
  manager: Web.SessionManager;
  credentials: SipCredentials;
  /** Set while we stop on purpose, so a disconnect is not shown as a fault. */
  stopping: boolean;
  /** Where each call and its wrap-up are recorded: the hub. */
  reporter: CallReporter;
}

let line: Line | null = null;
let session: Session | null = null;
/** The consultation call while `session` waits on hold; see startConsult. */
let consultSession: Session | null = null;
/** Set between startConsult and the consultation's Inviter being created. */
let consultPending = false;
/** An incoming call that replaces a call of ours (the far end of an attended transfer). */
const replacing = new Map<string, Session>();
let remoteAudio: HTMLAudioElement | null = null;
let starting = 0;
let qualityTimer: ReturnType<typeof setInterval> | undefined;
/** Calls kept through a lost SIP connection, waiting to tell the far end where the desk is now. */
const recovering = new Set<Session>();
/** How often live call quality is sampled. */
const QUALITY_EVERY_MS = 2_000;

/** Samples jitter, loss and RTT of the call's peer connection while it lasts. */
function watchQuality(s: Session): void {
  stopQuality();
  let totals: { received: number; lost: number } | null = null;
  qualityTimer = setInterval(() => {
    const pc = (s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.peerConnection;
    if (!pc || session !== s) return;
    void readCallQuality(pc, totals).then((sample) => {
      if (!sample) return;
      totals = sample.totals;
      calls().qualityMeasured(s.id, sample.quality);
    });
  }, QUALITY_EVERY_MS);
}

function stopQuality(): void {
  if (qualityTimer !== undefined) clearInterval(qualityTimer);
  qualityTimer = undefined;
}

function audioElement(): HTMLAudioElement {
  if (!remoteAudio) {
    remoteAudio = document.createElement('audio');
    remoteAudio.autoplay = true;
    remoteAudio.hidden = true;
    document.body.appendChild(remoteAudio);
    void routeTo(remoteAudio, loadAudioDevices().headset);
  }
  return remoteAudio;
}

/** The agent chose other devices: the call's sound moves to the headset now; the microphone applies from the next call. */
export function audioDevicesChanged(): void {
  if (remoteAudio) void routeTo(remoteAudio, loadAudioDevices().headset);
}

/** Media options for a call: the chosen microphone. */
const mediaOptions = () => ({
  sessionDescriptionHandlerOptions: { constraints: microphoneConstraints(loadAudioDevices()) },
});

let ringTimer: ReturnType<typeof setInterval> | undefined;
/** An incoming call rings on the ringer device (every 3 s) until it is answered or gone. */
function startRinging(): void {
  stopRinging();
  const ring = () =>
    playRing(selectNotificationVolume(useSettingsStore.getState()), loadAudioDevices().ringer);
  ring();
  ringTimer = setInterval(ring, 3_000);
}
function stopRinging(): void {
  if (ringTimer !== undefined) clearInterval(ringTimer);
  ringTimer = undefined;
}

/**
 * The SessionManager plays every call through one audio element and empties
 * it when any call ends: after a consultation or a replaced call ends, the
 * call that goes on is played again.
 */
function replayCurrentCall(): void {
  const pc = (session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)
    ?.peerConnection;
  if (!pc) return;
  const tracks = pc
    .getReceivers()
    .map((r) => r.track)
    .filter((t) => t.kind === 'audio' && t.readyState === 'live');
  if (tracks.length === 0) return;
  const element = audioElement();
  element.srcObject = new MediaStream(tracks);
  void element.play().catch((error: unknown) => log.warn('cannot play the call audio', error));
}

/** Whose recent calls the desk's local store keeps (hub and agent); null until the session says. */
let historyScope: OutboxScope | null = null;

async function refreshRecent(reporter: CallReporter): Promise<void> {
  const recent = await reporter.recentCalls();
  if (!recent.ok) return;
  calls().recentLoaded(recent.value);
  if (historyScope) void getHost().cacheCalls({ scope: historyScope, items: recent.value });
}

/** The recent calls the local store kept: shown at once, and while the hub is away. */
async function showCachedRecent(scope: OutboxScope): Promise<void> {
  const cached = await getHost().cachedCalls(scope);
  if (cached.ok && cached.value.length > 0 && calls().recent.length === 0) calls().recentLoaded(cached.value);
}

/**
 * The screen pop: the caller's customer record, looked up by number while the
 * phone rings, focused in the 360 panel before the agent answers.
 */
async function popCustomer(reporter: CallReporter, callId: string, remote: string): Promise<void> {
  const found = await reporter.lookupCaller(remote);
  if (!found.ok) {
    log.warn('caller lookup failed', found.error);
    return;
  }
  const customer = found.value.customer;
  if (!customer || calls().active?.id !== callId) return;
  calls().callerIdentified(callId, customer, Date.now());
  useCustomerStore.getState().focus(customer.id);
}

/**
 * Fetches credentials and registers. Resolves when the attempt is under way;
 * the registration state and any problem are in the `calls` store.
 */
export async function startPhone(hubUrl: string, token: string, scope?: OutboxScope): Promise<void> {
  await stopPhone();
  const attempt = ++starting;
  historyScope = scope ?? null;
  if (scope) await showCachedRecent(scope);
  const credentials = await fetchSipCredentials(hubUrl, token);
  if (attempt !== starting) return;
  if (!credentials.ok) {
    const details = credentials.error.details as { reason?: string } | undefined;
    if (details?.reason === SIP_NOT_CONFIGURED) {
      calls().registrationChanged('not_configured', null);
      return;
    }
    log.warn('no SIP credentials from the hub', credentials.error);
    calls().registrationChanged('failed', 'credentials_unavailable');
    // A hub that is down now will be back: ask again, as long as nothing newer started.
    if (credentials.error.code === 'UNAVAILABLE') {
      setTimeout(() => {
        if (attempt === starting) void startPhone(hubUrl, token);
      }, CREDENTIALS_RETRY_MS);
    }
    return;
  }
  const creds = credentials.value;
  scheduleRenewal(attempt, hubUrl, token, scope, creds);
  calls().configured(creds.extension);
  calls().registrationChanged('connecting', null);
  const reporter = createCallReporter(hubUrl, token);
  void reporter.dispositions().then((d) => d.ok && calls().dispositionsLoaded(d.value));
  void refreshRecent(reporter);
  const current: Line = {
    credentials: creds,
    stopping: false,
    reporter,
    manager: new Web.SessionManager(creds.wsUri, {
      aor: creds.aor,
      // The chosen microphone goes with each call (mediaOptions); this default serves a REFER's new call.
      media: { constraints: { audio: true, video: false }, remote: { audio: audioElement() } },
      // RFC 4733 telephone-events through the RTCDTMFSender, not SIP INFO.
      sendDTMFUsingSessionDescriptionHandler: true,
      reconnectionAttempts: 10_000,
      reconnectionDelay: 2,
      registrationRetry: true,
      registrationRetryInterval: 2,
      // The call and, while it is on hold, a consultation call (attended transfer).
      // Other calls arriving meanwhile are refused busy in the delegate.
      maxSimultaneousSessions: 2,
      registererOptions: { expires: 300 },
      registererRegisterOptions: {
        requestDelegate: {
          onReject: (response) => {
            const code = response.message.statusCode ?? 0;
            log.warn('REGISTER rejected', code, response.message.reasonPhrase);
            if (code === 401 || code === 403 || code === 407) void credentialsRejected(current);
          },
        },
      },
      userAgentOptions: {
        // "<extension>.<tag>": Kamailio finds this desk by its registration when a request
        // for a call names a WebSocket connection that is gone (route[DESK_MOVED]).
        contactName: `${creds.extension}.${Math.random().toString(36).slice(2, 10)}`,
        authorizationUsername: creds.username,
        authorizationPassword: creds.password,
        logBuiltinEnabled: false,
        logLevel: 'warn',
        logConnector: (level, category, _label, content) => {
          if (level === 'error') log.warn(category, content);
        },
        sessionDescriptionHandlerFactoryOptions: {
          // On premise there is no public STUN server to wait for: host candidates only.
          peerConnectionConfiguration: { iceServers: [] },
          iceGatheringTimeout: 1_000,
        },
      },
      delegate: delegateFor(() => current, reporter),
    }),
  };
  keepCallsOnDisconnect(
    current.manager,
    () => [session, consultSession].filter((s): s is Session => s !== null),
    (kept) => {
      for (const s of kept) {
        recovering.add(s);
        calls().callRecovering(s.id, true);
      }
      log.warn('SIP connection lost mid-call: keeping the call while the desk reconnects', kept.length);
    },
  );
  line = current;
  try {
    await current.manager.connect();
  } catch (error) {
    if (line !== current) return;
    // SessionManager keeps reconnecting on its own; the desk says why it is not registered.
    log.warn('cannot reach the SIP server', creds.wsUri, error);
    calls().registrationChanged('reconnecting', 'server_unreachable');
  }
  if (line !== current) return;
  calls().registrationChanged(current.manager.isConnected() ? 'registering' : 'reconnecting');
  await current.manager.register().catch((error: unknown) => log.warn('register failed', error));
}

let renewTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * New credentials before these expire: the phone registers again with them,
 * between calls (a call in progress is never cut for it).
 */
function scheduleRenewal(
  attempt: number,
  hubUrl: string,
  token: string,
  scope: OutboxScope | undefined,
  creds: SipCredentials,
): void {
  clearTimeout(renewTimer);
  const renew = () => {
    if (attempt !== starting) return;
    if (session || consultSession) {
      renewTimer = setTimeout(renew, 30_000);
      return;
    }
    log.warn('renewing SIP credentials before they expire', creds.expiresAt);
    void startPhone(hubUrl, token, scope);
  };
  // setTimeout holds at most ~24.8 days; credentials live hours.
  renewTimer = setTimeout(
    renew,
    Math.min(renewalDelayMs(creds.expiresAt, creds.ttlSeconds, Date.now()), 2 ** 31 - 1),
  );
}

async function credentialsRejected(current: Line): Promise<void> {
  if (line !== current) return;
  // Retrying the same credentials cannot help; the agent retries (new credentials) from the desk.
  current.stopping = true;
  calls().registrationChanged('failed', 'credentials_rejected');
  await current.manager.disconnect().catch(() => undefined);
}

function delegateFor(current: () => Line, reporter: CallReporter): Web.SessionManagerDelegate {
  const live = () => line === current() && !current().stopping;
  return {
    onServerConnect: () => {
      if (!live()) return;
      calls().registrationChanged('registering');
    },
    onServerDisconnect: (error) => {
      if (!live()) return;
      log.warn('SIP server connection lost', error?.message);
      calls().registrationChanged('reconnecting', 'server_unreachable');
    },
    onRegistered: () => {
      if (!live()) return;
      calls().registrationChanged('registered', null);
      if (recovering.size > 0) void recoverCalls(current());
    },
    onUnregistered: () => {
      // Losing the connection also unregisters; the pane keeps saying why.
      if (live())
        calls().registrationChanged(current().manager.isConnected() ? 'registering' : 'reconnecting');
    },
    onCallCreated: (s) => {
      if (consultPending && s instanceof Inviter) {
        consultPending = false;
        consultSession = s;
        const remote = remoteParty(s.remoteIdentity.uri.toString());
        calls().consultStarted({ id: s.id, remote, state: 'dialing' });
        // A call of its own on the hub, tied to the customer's call it consults for.
        void reporter.report({
          type: 'dialed',
          callId: s.id,
          remote,
          at: Date.now(),
          ...(session ? { consultFor: session.id } : {}),
        });
        return;
      }
      if (s instanceof Invitation && refuseUnusableOffer(s)) return;
      if (s instanceof Invitation && session) {
        const replaced = replacedSession(s);
        if (replaced) replacing.set(s.id, replaced);
        else {
          // One call at a time: another caller hears busy while the agent talks.
          refused.set(s.id, 486);
          return;
        }
      }
      session = s;
      const outbound = s instanceof Inviter;
      const remote = remoteParty(s.remoteIdentity.uri.toString());
      const remoteName = s.remoteIdentity.displayName || null;
      const at = Date.now();
      calls().callStarted(
        {
          id: s.id,
          direction: outbound ? 'outbound' : 'inbound',
          remote,
          remoteName,
          state: outbound ? 'dialing' : 'incoming',
        },
        at,
      );
      if (!outbound) {
        void popCustomer(reporter, s.id, remote);
        if (!replacing.has(s.id)) startRinging();
      }
      // After sip.js has finished taking the INVITE in.
      if (s instanceof Invitation && shouldAutoAnswer(s)) setTimeout(() => void answer(), 0);
      // A call to a queue number carries the hub's work item (Kamailio adds it), so the
      // hang-up and wrap-up reported below finish that work in the hub's routing.
      const workItemId = s instanceof Invitation ? s.request.getHeader('X-Ieum-Item')?.trim() : undefined;
      void reporter.report({
        type: outbound ? 'dialed' : 'offered',
        callId: s.id,
        remote,
        remoteName,
        at,
        ...(workItemId ? { workItemId } : {}),
      });
    },
    onCallReceived: (s) => {
      // Refused here, not in onCallCreated: only now does the SessionManager watch the
      // session's end, so the refused call is forgotten and the next one can ring.
      const refuse = refused.get(s.id);
      if (refuse && s instanceof Invitation) {
        s.reject({
          statusCode: refuse,
          reasonPhrase: refuse === 486 ? 'Busy Here' : 'Not Acceptable Here',
        }).catch((error: unknown) => log.warn('could not refuse the call', error));
        return;
      }
      const replaced = replacing.get(s.id);
      if (replaced && s instanceof Invitation) {
        replacing.delete(s.id);
        void takeOver(s, replaced);
        return;
      }
      log.debug('incoming call', s.id);
    },
    onCallAnswered: (s) => {
      if (s === session) stopRinging();
      if (s === consultSession) {
        calls().consultAnswered(s.id);
        void reporter.report({ type: 'answered', callId: s.id, at: Date.now() });
        return;
      }
      const at = Date.now();
      calls().callAnswered(s.id, at);
      void reporter.report({ type: 'answered', callId: s.id, at });
      watchQuality(s);
      watchNetwork(s);
    },
    onCallHold: (s, held) => {
      if (s === consultSession) return;
      const at = Date.now();
      calls().callHeld(s.id, held, at);
      void reporter.report({ type: held ? 'held' : 'resumed', callId: s.id, at });
    },
    onCallHangup: (s) => {
      recovering.delete(s);
      if (refused.delete(s.id)) return;
      if (s === consultSession) {
        consultSession = null;
        const answered = calls().consult?.state === 'active';
        calls().consultEnded(s.id);
        replayCurrentCall();
        void reporter.report({
          type: 'ended',
          callId: s.id,
          at: Date.now(),
          reason: answered ? 'completed' : 'not_answered',
        });
        return;
      }
      if (session === s) {
        session = null;
        stopQuality();
        stopRinging();
      } else {
        // Another call goes on (this one was replaced, e.g. by a transfer): keep hearing it.
        setTimeout(replayCurrentCall, 0);
      }
      const ended = calls().active?.id === s.id ? calls().active : null;
      calls().callEnded(s.id);
      const answered = Boolean(ended?.answeredAt);
      // A call that was talked on asks for its disposition before the next one.
      if (ended && answered) {
        calls().wrapUpStarted({ callId: s.id, remote: ended.remote, customer: ended.customer });
      }
      void reporter
        .report({
          type: 'ended',
          callId: s.id,
          at: Date.now(),
          reason: answered ? 'completed' : 'not_answered',
        })
        .then(() => refreshRecent(reporter));
    },
  };
}

/** Whether the call's media path broke too, so its re-INVITE should restart ICE. */
function iceBroken(s: Session): boolean {
  const pc = (s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.peerConnection;
  return pc?.iceConnectionState === 'disconnected' || pc?.iceConnectionState === 'failed';
}

/**
 * Registered again after the SIP connection dropped mid-call. Requests for
 * the call reach the desk again (Kamailio's route[DESK_MOVED]); each kept call
 * asks whether the far end still has it, and restarts ICE if the media path
 * broke too (call-recovery.ts). A far end that ended the call meanwhile ends
 * it here too; one that never settles leaves the call as it is, with a word
 * to the agent.
 */
async function recoverCalls(current: Line): Promise<void> {
  const pending = [...recovering];
  recovering.clear();
  await Promise.all(
    pending.map(async (s) => {
      let outcome = await probeUntilSettled(s, { owner: s instanceof Inviter });
      if (outcome === 'recovered' && iceBroken(s)) outcome = await restartIce(s);
      calls().callRecovering(s.id, false);
      if (line !== current) return;
      if (outcome === 'recovered') log.warn('call kept through the lost SIP connection', s.id);
      else if (outcome === 'gone') {
        log.warn('the far end ended the call while the SIP connection was down', s.id);
        await current.manager.hangup(s).catch(() => undefined);
      } else if (outcome === 'gave_up') {
        log.warn('could not reach the far end of the call after reconnecting', s.id);
        problem('call_not_recovered');
      }
    }),
  );
}

/** How long the answering end leaves the calling end to restart ICE first. */
const ICE_RESTART_DEFER_MS = 4_000;

/**
 * A re-INVITE with an ICE restart, keeping the call's hold state. Both ends
 * see a path break: the end that made the call restarts first and the other
 * only if the path is still broken a moment later, so two re-INVITEs do not
 * cross.
 */
async function restartIce(s: Session): Promise<RecoveryOutcome> {
  const owner = s instanceof Inviter;
  if (!owner) {
    await new Promise((r) => setTimeout(r, ICE_RESTART_DEFER_MS));
    if (!iceBroken(s)) return 'recovered';
  }
  return reinviteUntilSettled(
    s,
    () => ({ offerOptions: { iceRestart: true }, hold: s === session && calls().active?.state === 'held' }),
    { owner, deadlineMs: 20_000 },
  );
}

/**
 * The network changed under a call (the PC went online again, the call's ICE
 * failed): a re-INVITE with an ICE restart finds a new media path. Where the
 * far end cannot do that, the call goes on as it was, and the log says so. (A
 * dropped SIP connection is recoverCalls' part.)
 */
export async function restartMedia(reason: string): Promise<boolean> {
  const s = session;
  if (!line || !s || s.state !== SessionState.Established || recovering.has(s)) return false;
  const outcome = await restartIce(s);
  if (outcome === 'gone' && line) await line.manager.hangup(s).catch(() => undefined);
  if (outcome !== 'recovered') log.warn('ICE restart failed', reason, outcome);
  else log.warn('call media renegotiated after a network change', reason);
  return outcome === 'recovered';
}

/** The PC's network came back, or the call's ICE failed: try a new media path. */
function watchNetwork(s: Session): void {
  const pc = (s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined)?.peerConnection;
  pc?.addEventListener('iceconnectionstatechange', () => {
    if (pc.iceConnectionState === 'failed' && session === s) void restartMedia('ice failed');
  });
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => void restartMedia('network online'));
}

/** Calls refused before they rang (with this status): their hang-up is no call the agent had. */
const refused = new Map<string, number>();

/** The SIP Call-ID of a session, incoming or outgoing. */
const callIdOf = (s: Session): string => (s as Invitation | Inviter).request.callId;

/**
 * The call an incoming INVITE replaces (RFC 3891 `Replaces: call-id;to-tag;from-tag`):
 * the transferee of an attended transfer calls us in place of the consultation.
 */
function replacedSession(invitation: Invitation): Session | null {
  const header = invitation.request.getHeader('replaces');
  if (!header || !session) return null;
  const callId = header.split(';')[0]?.trim();
  return callId && callId === callIdOf(session) ? session : null;
}

/** Answers the replacing call at once and ends the one it replaces. */
async function takeOver(invitation: Invitation, replaced: Session): Promise<void> {
  if (!line) return;
  try {
    await line.manager.answer(invitation, mediaOptions());
  } catch (error) {
    log.warn('could not take over the transferred call', error);
    problem('transfer_failed');
    return;
  }
  await line.manager.hangup(replaced).catch((error: unknown) => log.warn('ending the replaced call', error));
}

/**
 * An INVITE with no SDP or SDP the desk cannot use is refused (488, in
 * onCallReceived) before it rings; the agent sees why and the phone stays
 * ready for the next call.
 */
function refuseUnusableOffer(invitation: Invitation): boolean {
  const request = invitation.request;
  const bad = offerProblem(request.body, request.getHeader('content-type'));
  if (!bad) return false;
  refused.set(invitation.id, 488);
  log.warn('incoming call refused: unusable offer', bad, request.callId, request.from.uri.toString());
  problem(bad);
  return true;
}

/** The agent's auto-answer option, or the PBX asking for it (Call-Info: …;answer-after=0). */
function shouldAutoAnswer(invitation: Invitation): boolean {
  if (calls().autoAnswer) return true;
  const callInfo = invitation.request.getHeader('call-info') ?? '';
  return /answer-after\s*=\s*0\b/i.test(callInfo);
}

/** Unregisters and disconnects; any call is hung up first. */
export async function stopPhone(): Promise<void> {
  starting++;
  clearTimeout(renewTimer);
  const current = line;
  line = null;
  if (!current) return;
  current.stopping = true;
  if (consultSession) await current.manager.hangup(consultSession).catch(() => undefined);
  if (session) await current.manager.hangup(session).catch(() => undefined);
  session = null;
  consultSession = null;
  consultPending = false;
  recovering.clear();
  await current.manager.unregister().catch(() => undefined);
  await current.manager.disconnect().catch(() => undefined);
}

function problem(p: PhoneProblem): void {
  calls().problemShown(p);
}

/** Places a call to a number, an extension or a SIP URI. */
export async function dial(input: string): Promise<boolean> {
  if (!line || session) return false;
  const target = dialTarget(input, line.credentials.domain);
  if (!target) return false;
  let cancelled = false;
  try {
    await line.manager.call(target, mediaOptions(), {
      requestDelegate: {
        onReject: (response) => {
          const code = response.message.statusCode ?? 0;
          if (code === 487 && cancelled) return;
          log.warn('call rejected', code, response.message.reasonPhrase);
          problem(rejectProblem(code));
        },
      },
    });
    return true;
  } catch (error) {
    cancelled = true;
    log.warn('call failed', error);
    problem(mediaProblem(error));
    return false;
  }
}

export async function answer(): Promise<void> {
  if (!line || !session) return;
  stopRinging();
  try {
    await line.manager.answer(session, mediaOptions());
  } catch (error) {
    log.warn('answer failed', error);
    problem(mediaProblem(error));
    // A call we cannot take (no microphone) is declined rather than left ringing.
    await line.manager.decline(session).catch(() => undefined);
  }
}

export async function reject(): Promise<void> {
  stopRinging();
  if (line && session)
    await line.manager.decline(session).catch((e: unknown) => log.warn('reject failed', e));
}

export async function hangUp(): Promise<void> {
  if (line && session)
    await line.manager.hangup(session).catch((e: unknown) => log.warn('hang-up failed', e));
}

export async function setHeld(held: boolean): Promise<void> {
  if (!line || !session) return;
  try {
    await (held ? line.manager.hold(session) : line.manager.unhold(session));
  } catch (error) {
    log.warn('hold/resume failed', error);
    problem('call_failed');
  }
}

export function setMuted(muted: boolean): void {
  if (!line || !session) return;
  if (muted) line.manager.mute(session);
  else line.manager.unmute(session);
  calls().callMuted(session.id, line.manager.isMuted(session));
}

/**
 * Blind transfer (REFER): the other party is asked to call `input`; once it
 * agrees (202) this desk leaves the call. Resolves false when refused.
 */
export async function blindTransfer(input: string): Promise<boolean> {
  if (!line || !session) return false;
  const current = line;
  const s = session;
  const target = dialTarget(input, current.credentials.domain);
  if (!target) return false;
  return new Promise<boolean>((resolve) => {
    current.manager
      .transfer(s, target, {
        requestDelegate: {
          onAccept: () => {
            void current.reporter.report({
              type: 'transferred',
              callId: s.id,
              at: Date.now(),
              reason: input,
            });
            void hangUp();
            resolve(true);
          },
          onReject: (response) => {
            log.warn('transfer refused', response.message.statusCode);
            problem('transfer_failed');
            resolve(false);
          },
        },
      })
      .catch((error: unknown) => {
        log.warn('transfer failed', error);
        problem('transfer_failed');
        resolve(false);
      });
  });
}

/**
 * Consult first (attended transfer): the customer goes on hold and the agent
 * calls `input` — an agent, a queue number or any number — to talk before
 * handing over. Complete with completeConsultTransfer, or cancelConsult to
 * return to the customer.
 */
export async function startConsult(input: string): Promise<boolean> {
  if (!line || !session || consultSession || consultPending) return false;
  const target = dialTarget(input, line.credentials.domain);
  if (!target) return false;
  if (calls().active?.state !== 'held') await setHeld(true);
  consultPending = true;
  try {
    await line.manager.call(target, mediaOptions(), {
      requestDelegate: {
        onReject: (response) => {
          log.warn('consultation call rejected', response.message.statusCode);
          problem(rejectProblem(response.message.statusCode ?? 0));
        },
      },
    });
    return true;
  } catch (error) {
    consultPending = false;
    log.warn('consultation call failed', error);
    problem(mediaProblem(error));
    return false;
  }
}

/** Ends the consultation and takes the customer off hold. */
export async function cancelConsult(): Promise<void> {
  if (!line) return;
  const consult = consultSession;
  if (consult) await line.manager.hangup(consult).catch((e: unknown) => log.warn('ending consultation', e));
  if (session && calls().active?.state === 'held') await setHeld(false);
}

/**
 * Hands the customer to the consulted party: REFER with Replaces, so the
 * customer's phone calls them in place of our consultation; once it agrees
 * (202) this desk leaves both calls.
 */
export async function completeConsultTransfer(): Promise<boolean> {
  if (!line || !session || !consultSession) return false;
  const current = line;
  const customer = session;
  const consult = consultSession;
  const target = calls().consult?.remote ?? '';
  return new Promise<boolean>((resolve) => {
    current.manager
      .transfer(customer, consult, {
        requestDelegate: {
          onAccept: () => {
            void current.reporter.report({
              type: 'transferred',
              callId: customer.id,
              at: Date.now(),
              reason: target.slice(0, 40),
            });
            void hangUp();
            // The consulted party ends our consultation when the customer arrives; if not, we do.
            setTimeout(() => {
              if (consultSession === consult) void current.manager.hangup(consult).catch(() => undefined);
            }, 5_000);
            resolve(true);
          },
          onReject: (response) => {
            log.warn('attended transfer refused', response.message.statusCode);
            problem('transfer_failed');
            resolve(false);
          },
        },
      })
      .catch((error: unknown) => {
        log.warn('attended transfer failed', error);
        problem('transfer_failed');
        resolve(false);
      });
  });
}

/** Records the disposition (and note) of the call waiting for wrap-up. */
export async function submitWrapUp(dispositionId: string, note: string): Promise<boolean> {
  const pending = calls().wrapUp;
  if (!line || !pending) return false;
  const reporter = line.reporter;
  calls().wrapUpSaving(true);
  const saved = await reporter.wrapUp(pending.callId, dispositionId, note);
  calls().wrapUpSaving(false);
  if (!saved.ok) {
    log.warn('wrap-up not saved', saved.error);
    problem('wrap_up_failed');
    return false;
  }
  calls().wrapUpDone();
  await refreshRecent(reporter);
  return true;
}

export async function sendDtmf(tone: string): Promise<void> {
  if (!line || !session || !/^[0-9*#A-D]$/.test(tone)) return;
  const id = session.id;
  try {
    await line.manager.sendDTMF(session, tone);
    calls().dtmfSent(id, tone);
  } catch (error) {
    log.warn('DTMF failed', error);
  }
}
