import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../server/realtime/token-bucket';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate', () => {
    let t = 0;
    const b = new TokenBucket(10, 3, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    t += 100;
    expect([b.take(), b.take()]).toEqual([true, false]);
    t += 10_000;
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });
});
