import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../server/auth/login-throttle';

describe('LoginThrottle', () => {
  it('allows four failures, locks on the fifth, doubles the lock, and forgets after success', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    for (let i = 0; i < 4; i++) th.recordFailure('Agent1', '10.0.0.1');
    expect(th.retryAfterMs('agent1', '10.0.0.2')).toBe(0);
    th.recordFailure('agent1', '10.0.0.1');
    expect(th.retryAfterMs('AGENT1', '10.0.0.2')).toBe(30_000);
    th.recordFailure('agent1', '10.0.0.1');
    expect(th.retryAfterMs('agent1', '10.0.0.9')).toBe(60_000);
    t += 60_001;
    expect(th.retryAfterMs('agent1', '10.0.0.9')).toBe(0);
    th.recordSuccess('agent1');
    th.recordFailure('agent1', '10.0.0.1');
    expect(th.retryAfterMs('agent1', '10.0.0.9')).toBe(0);
  });

  it('locks an address only after many failures across users (shared NAT)', () => {
    const th = new LoginThrottle(() => 0);
    for (let i = 0; i < 29; i++) th.recordFailure(`user${i}`, '10.0.0.1');
    expect(th.retryAfterMs('someone-else', '10.0.0.1')).toBe(0);
    th.recordFailure('user-last', '10.0.0.1');
    expect(th.retryAfterMs('someone-else', '10.0.0.1')).toBeGreaterThan(0);
  });
});
