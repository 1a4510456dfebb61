/**
 * Keeps the machine awake while a call is up (as Element does): one blocker
 * however many times the renderer says "call active", released on the last
 * "inactive". The blocker functions are Electron's powerSaveBlocker in the app.
 */
export interface PowerBlocker {
  start(): number;
  stop(id: number): void;
}

export interface PowerGuard {
  setCallActive(active: boolean): void;
  readonly blocking: boolean;
}

export function createPowerGuard(blocker: PowerBlocker): PowerGuard {
  let id: number | null = null;
  return {
    setCallActive(active) {
      if (active && id === null) id = blocker.start();
      else if (!active && id !== null) {
        blocker.stop(id);
        id = null;
      }
    },
    get blocking() {
      return id !== null;
    },
  };
}
