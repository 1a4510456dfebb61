/**
 * Runs `task` now and again `intervalMs` after each run has finished, so a
 * slow hub never has two requests of the same poll in flight. Returns a stop
 * function; a run in progress finishes but schedules nothing more.
 */
export function startPolling(
  task: () => Promise<unknown>,
  intervalMs: number,
  timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (): Promise<void> => {
    try {
      await task();
    } catch {
      // The task reports its own failures (into a store); polling goes on.
    }
    if (!stopped) timer = timers.setTimeout(() => void run(), intervalMs);
  };
  void run();
  return () => {
    stopped = true;
    if (timer !== undefined) timers.clearTimeout(timer);
  };
}
