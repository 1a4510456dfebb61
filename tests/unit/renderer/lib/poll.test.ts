import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPolling } from '@renderer/lib/poll';

describe('startPolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once, then again an interval after each run has finished', async () => {
    let release: () => void = () => {};
    const task = vi.fn(() => new Promise<void>((r) => (release = r)));
    const stop = startPolling(task, 5_000);
    expect(task).toHaveBeenCalledTimes(1);
    // A slow answer: no second request while the first is in flight.
    await vi.advanceTimersByTimeAsync(12_000);
    expect(task).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
    stop();
  });

  it('keeps polling after a failed run and stops for good when stopped', async () => {
    const task = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(undefined);
    const stop = startPolling(task, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(2);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(task).toHaveBeenCalledTimes(2);
  });
});
