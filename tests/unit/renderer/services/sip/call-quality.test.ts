import { describe, expect, it } from 'vitest';
import { estimateMos, POOR_MOS } from '@renderer/services/sip/call-quality';

describe('estimateMos', () => {
  it('is excellent on a clean LAN call', () => {
    expect(estimateMos(1, 0, 2)).toBeGreaterThanOrEqual(4.3);
  });

  it('falls with loss, jitter and delay', () => {
    const clean = estimateMos(1, 0, 20);
    expect(estimateMos(1, 5, 20)).toBeLessThan(clean);
    expect(estimateMos(60, 0, 20)).toBeLessThan(clean);
    expect(estimateMos(1, 0, 600)).toBeLessThan(clean);
  });

  it('warns on a call people would complain about', () => {
    expect(estimateMos(30, 8, 300)).toBeLessThan(POOR_MOS);
    expect(estimateMos(200, 50, 2000)).toBe(1);
  });
});
