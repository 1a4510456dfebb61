import { describe, expect, it } from 'vitest';
import { dialTarget, remoteParty } from '@renderer/services/sip/dial-target';
import { mediaProblem, rejectProblem } from '@renderer/services/sip/phone-problem';

describe('dialTarget', () => {
  it('turns what the agent typed into a SIP URI in their domain', () => {
    expect(dialTarget('agent2', 'ieum.local')).toBe('sip:agent2@ieum.local');
    expect(dialTarget(' 010-1234-5678 ', 'ieum.local')).toBe('sip:01012345678@ieum.local');
    expect(dialTarget('tel:+82 10 1234 5678', 'd')).toBe('sip:+821012345678@d');
    expect(dialTarget('(02) 123-4567', 'd')).toBe('sip:021234567@d');
    expect(dialTarget('sip:bob@pbx.example', 'd')).toBe('sip:bob@pbx.example');
    expect(dialTarget('sip:bob', 'd')).toBe('sip:bob@d');
  });

  it('refuses input with nothing dialable', () => {
    expect(dialTarget('', 'd')).toBeNull();
    expect(dialTarget('   ', 'd')).toBeNull();
    expect(dialTarget('a b<c>', 'd')).toBeNull();
  });

  it('shows the user part of a URI', () => {
    expect(remoteParty('sip:agent2@ieum.local')).toBe('agent2');
    expect(remoteParty('sip:+8210@x;transport=ws')).toBe('+8210');
    expect(remoteParty('weird')).toBe('weird');
  });
});

describe('phone problems', () => {
  it('names a denied or missing microphone', () => {
    expect(mediaProblem(new DOMException('no', 'NotAllowedError'))).toBe('microphone_denied');
    expect(mediaProblem(new DOMException('none', 'NotFoundError'))).toBe('microphone_missing');
    expect(mediaProblem(new Error('something else'))).toBe('call_failed');
  });

  it('maps final responses', () => {
    expect(rejectProblem(486)).toBe('busy');
    expect(rejectProblem(404)).toBe('not_found');
    expect(rejectProblem(480)).toBe('no_answer');
    expect(rejectProblem(403)).toBe('credentials_rejected');
    expect(rejectProblem(500)).toBe('call_failed');
  });
});
