/**
 * Music for a caller waiting for an agent. Nobody answers a queue call until
 * an agent does, and rtpengine plays sound only into media it has an offer and
 * an answer for; so the hub asks rtpengine for both: the caller's offer, then
 * an answer from a stand-in player (rtpengine's own offer pointed at the
 * discard port). The SDP rtpengine gives the caller goes back to Kamailio,
 * which sends it in a 183 (early media), and rtpengine plays the file into it
 * on a loop.
 *
 * The music is a media session of its own in rtpengine (`holdCallId`): the
 * agent's branch is bridged on the call's own Call-ID with WebRTC's DTLS-SRTP,
 * which must not inherit the music's plain RTP. The agent's 200 OK carries the
 * call's real media address, the caller moves there, and Kamailio deletes the
 * music session (onreply_route[MANAGE_REPLY]).
 */
import type { RtpengineNg } from './rtpengine-ng';

/** The to-tag the stand-in player answers under (rtpengine's bookkeeping only; no SIP dialog has it). */
export const HOLD_TO_TAG = 'ieum-hold';

/** rtpengine's id of the music session for a call; Kamailio deletes it by the same name. */
export const holdCallId = (callId: string): string => `ieum-hold-${callId}`;

const BRIDGE = { flags: ['trust-address'], replace: ['origin', 'session-connection'] };

export interface HoldMusicCall {
  callId: string;
  fromTag: string;
  /** The caller's SDP offer (plain RTP from a phone or trunk). */
  sdp: string;
}

/** Starts the music; resolves with the SDP for the caller's 183. */
export async function startHoldMusic(ng: RtpengineNg, call: HoldMusicCall, file: string): Promise<string> {
  const base = { 'call-id': holdCallId(call.callId), 'from-tag': call.fromTag };
  const offer = await ng.command({ ...base, ...BRIDGE, command: 'offer', sdp: call.sdp });
  const playerSdp = String(offer['sdp'] ?? '').replace(/^m=audio \d+/m, 'm=audio 9');
  const answer = await ng.command({
    ...base,
    ...BRIDGE,
    command: 'answer',
    'to-tag': HOLD_TO_TAG,
    sdp: playerSdp,
  });
  await ng.command({ ...base, command: 'play media', file, 'repeat-times': 10_000 });
  return String(answer['sdp'] ?? '');
}
