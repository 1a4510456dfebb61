/**
 * Whether an incoming INVITE carries an audio offer the desk can answer.
 * WebRTC needs the offer in the INVITE (no late offer through our proxies),
 * and a body that is not SDP, or SDP without an audio stream, cannot be
 * answered: the call is refused with 488 before it rings, and the agent told.
 */
export type OfferProblem = 'offer_missing' | 'offer_malformed';

export function offerProblem(body: string | undefined, contentType: string | undefined): OfferProblem | null {
  if (!body || body.trim() === '') return 'offer_missing';
  if (contentType && !/^application\/sdp\b/i.test(contentType.trim())) return 'offer_malformed';
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== 'v=0') return 'offer_malformed';
  const audio = lines.find((l) => l.startsWith('m=audio '));
  // m=audio <port> <proto> <formats…>: a port, a profile, at least one payload type.
  if (!audio || !/^m=audio \d+(\/\d+)? [A-Za-z/]+( \S+)+$/.test(audio)) return 'offer_malformed';
  if (!lines.some((l) => l.startsWith('c=') || l.startsWith('a=ice-ufrag'))) return 'offer_malformed';
  return null;
}
