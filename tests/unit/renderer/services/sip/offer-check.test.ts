import { describe, expect, it } from 'vitest';
import { offerProblem } from '@renderer/services/sip/offer-check';

const PHONE_OFFER = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

const WEBRTC_OFFER = [
  'v=0',
  'o=- 2 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
  'a=ice-ufrag:abcd',
  '',
].join('\n');

describe('offerProblem', () => {
  it('accepts a plain RTP offer and a WebRTC offer', () => {
    expect(offerProblem(PHONE_OFFER, 'application/sdp')).toBeNull();
    expect(offerProblem(WEBRTC_OFFER, 'application/sdp; charset=utf-8')).toBeNull();
  });

  it('names an INVITE without a body', () => {
    expect(offerProblem(undefined, undefined)).toBe('offer_missing');
    expect(offerProblem('  \r\n', 'application/sdp')).toBe('offer_missing');
  });

  it('names a body that is not usable SDP', () => {
    expect(offerProblem('this is not a session description\r\nm=audio', 'application/sdp')).toBe(
      'offer_malformed',
    );
    expect(offerProblem(PHONE_OFFER, 'text/plain')).toBe('offer_malformed');
    expect(
      offerProblem(PHONE_OFFER.replace('m=audio 40000 RTP/AVP 0 101', 'm=video 40000 RTP/AVP 96'), undefined),
    ).toBe('offer_malformed');
    expect(offerProblem(PHONE_OFFER.replace('m=audio 40000 RTP/AVP 0 101', 'm=audio x'), undefined)).toBe(
      'offer_malformed',
    );
    expect(offerProblem(PHONE_OFFER.replace('c=IN IP4 127.0.0.1\r\n', ''), undefined)).toBe(
      'offer_malformed',
    );
  });
});
