/**
 * The desk's phone: registration with Kamailio and the call in progress. The
 * sip service (`services/sip/`) turns sip.js callbacks into these actions;
 * components read the state and call the service, never sip.js.
 */
import { create } from 'zustand';
import type { Disposition } from '@shared/domain';
import type { CallRecord } from '@shared/telephony';
import type { CallQuality } from '@renderer/services/sip/call-quality';

// ---- State
export type Registration =
  /** The hub has no SIP server configured for this center. */
  | 'not_configured'
  /** Fetching credentials or connecting to Kamailio. */
  | 'connecting'
  | 'registering'
  | 'registered'
  /** Was registered; the connection dropped and is being restored. */
  | 'reconnecting'
  | 'failed';

/** Why the phone or the last call is not working, shown as one clear message. */
export type PhoneProblem =
  | 'server_unreachable'
  | 'credentials_rejected'
  | 'credentials_unavailable'
  | 'microphone_denied'
  | 'microphone_missing'
  | 'call_failed'
  | 'busy'
  | 'not_found'
  | 'no_answer'
  | 'wrap_up_failed'
  | 'transfer_failed'
  /** An incoming INVITE without SDP, refused with 488. */
  | 'offer_missing'
  /** An incoming INVITE whose SDP the desk cannot use, refused with 488. */
  | 'offer_malformed'
  /** The SIP connection dropped mid-call and the far end could not be told where the desk is now. */
  | 'call_not_recovered';

/** The customer found by the caller's number (the screen pop). */
export interface CallCustomer {
  id: string;
  name: string;
  segment: string | null;
}

export type DeskCallState = 'dialing' | 'ringing' | 'incoming' | 'active' | 'held' | 'ended';

export interface DeskCall {
  /** The sip.js session id. */
  id: string;
  direction: 'inbound' | 'outbound';
  /** The other party: a number or an extension. */
  remote: string;
  /** Display name from the SIP From header, when there is one. */
  remoteName: string | null;
  state: DeskCallState;
  /** Epoch ms: the INVITE sent or received. */
  startedAt: number;
  answeredAt: number | null;
  /** Epoch ms the current hold started, while held. */
  heldSince: number | null;
  /** Held time of earlier holds, in ms. */
  heldMs: number;
  muted: boolean;
  /** Tones sent in this call, as typed. */
  dtmf: string;
  customer: CallCustomer | null;
  /** ms from the INVITE to the customer on screen. */
  popMs: number | null;
  /** The latest live quality sample while connected. */
  quality: CallQuality | null;
  /** The SIP connection dropped: the call goes on while the desk reconnects and tells the far end. */
  recovering: boolean;
}

/** A finished call waiting for the agent's disposition. */
export interface PendingWrapUp {
  callId: string;
  remote: string;
  customer: CallCustomer | null;
  saving: boolean;
}

export interface CallsState {
  registration: Registration;
  /** The agent's own extension once credentials were issued. */
  extension: string | null;
  problem: PhoneProblem | null;
  active: DeskCall | null;
  /** A `tel:`/`sip:` link or `?dial=` waiting to be dialled. */
  dialRequest: string | null;
  wrapUp: PendingWrapUp | null;
  /** Answer incoming calls at once (the agent's option; a Call-Info answer-after=0 header does it too). */
  autoAnswer: boolean;
  dispositions: Disposition[];
  /** This agent's latest calls as the hub recorded them, newest first. */
  recent: CallRecord[];
  /** The consultation call while the customer waits on hold (consult-then-transfer). */
  consult: ConsultCall | null;
}

/** A second call the agent makes while the first is on hold, to hand the first over (attended transfer). */
export interface ConsultCall {
  id: string;
  remote: string;
  state: 'dialing' | 'active';
}

export const getInitialState = (): CallsState => ({
  consult: null,
  registration: 'not_configured',
  extension: null,
  problem: null,
  active: null,
  dialRequest: null,
  wrapUp: null,
  autoAnswer: false,
  dispositions: [],
  recent: [],
});

// ---- Actions
export interface CallsActions {
  registrationChanged(registration: Registration, problem?: PhoneProblem | null): void;
  configured(extension: string): void;
  problemShown(problem: PhoneProblem | null): void;
  callStarted(call: Pick<DeskCall, 'id' | 'direction' | 'remote' | 'remoteName' | 'state'>, at: number): void;
  callAnswered(id: string, at: number): void;
  callHeld(id: string, held: boolean, at: number): void;
  callMuted(id: string, muted: boolean): void;
  dtmfSent(id: string, tone: string): void;
  callEnded(id: string): void;
  callerIdentified(id: string, customer: CallCustomer, at: number): void;
  qualityMeasured(id: string, quality: CallQuality): void;
  callRecovering(id: string, recovering: boolean): void;
  dialRequested(target: string): void;
  dialRequestTaken(): void;
  wrapUpStarted(wrapUp: Omit<PendingWrapUp, 'saving'>): void;
  wrapUpSaving(saving: boolean): void;
  wrapUpDone(): void;
  dispositionsLoaded(dispositions: Disposition[]): void;
  autoAnswerSet(autoAnswer: boolean): void;
  recentLoaded(recent: CallRecord[]): void;
  consultStarted(consult: ConsultCall): void;
  consultAnswered(id: string): void;
  consultEnded(id: string): void;
  reset(): void;
}

const patchCall = (s: CallsState, id: string, patch: (c: DeskCall) => Partial<DeskCall>) =>
  s.active && s.active.id === id ? { active: { ...s.active, ...patch(s.active) } } : {};

export const useCallsStore = create<CallsState & CallsActions>()((set) => ({
  ...getInitialState(),
  registrationChanged: (registration, problem) =>
    set((s) => ({
      registration,
      problem: problem !== undefined ? problem : registration === 'registered' ? null : s.problem,
    })),
  configured: (extension) => set({ extension }),
  problemShown: (problem) => set({ problem }),
  callStarted: (call, at) =>
    set({
      active: {
        ...call,
        startedAt: at,
        answeredAt: null,
        heldSince: null,
        heldMs: 0,
        muted: false,
        dtmf: '',
        customer: null,
        popMs: null,
        quality: null,
        recovering: false,
      },
      problem: null,
    }),
  callAnswered: (id, at) => set((s) => patchCall(s, id, () => ({ state: 'active', answeredAt: at }))),
  callHeld: (id, held, at) =>
    set((s) =>
      patchCall(s, id, (c) =>
        held
          ? { state: 'held', heldSince: c.heldSince ?? at }
          : { state: 'active', heldSince: null, heldMs: c.heldMs + (c.heldSince ? at - c.heldSince : 0) },
      ),
    ),
  callMuted: (id, muted) => set((s) => patchCall(s, id, () => ({ muted }))),
  dtmfSent: (id, tone) => set((s) => patchCall(s, id, (c) => ({ dtmf: (c.dtmf + tone).slice(-32) }))),
  callEnded: (id) => set((s) => (s.active?.id === id ? { active: null } : {})),
  callerIdentified: (id, customer, at) =>
    set((s) => patchCall(s, id, (c) => ({ customer, popMs: at - c.startedAt }))),
  qualityMeasured: (id, quality) => set((s) => patchCall(s, id, () => ({ quality }))),
  callRecovering: (id, recovering) => set((s) => patchCall(s, id, () => ({ recovering }))),
  dialRequested: (dialRequest) => set({ dialRequest }),
  dialRequestTaken: () => set({ dialRequest: null }),
  wrapUpStarted: (wrapUp) => set({ wrapUp: { ...wrapUp, saving: false } }),
  wrapUpSaving: (saving) => set((s) => (s.wrapUp ? { wrapUp: { ...s.wrapUp, saving } } : {})),
  wrapUpDone: () => set({ wrapUp: null }),
  dispositionsLoaded: (dispositions) => set({ dispositions }),
  autoAnswerSet: (autoAnswer) => set({ autoAnswer }),
  recentLoaded: (recent) => set({ recent }),
  consultStarted: (consult) => set({ consult, problem: null }),
  consultAnswered: (id) =>
    set((s) => (s.consult?.id === id ? { consult: { ...s.consult, state: 'active' } } : {})),
  consultEnded: (id) => set((s) => (s.consult?.id === id ? { consult: null } : {})),
  reset: () => set(getInitialState()),
}));

// ---- Selectors
export const selectRegistration = (s: CallsState): Registration => s.registration;
export const selectCanDial = (s: CallsState): boolean => s.registration === 'registered' && s.active === null;
