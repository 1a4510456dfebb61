/**
 * WebRTC media checks for the softphone tests: every RTCPeerConnection a page
 * makes is kept, and its inbound audio read with getStats, as a call-quality
 * panel would.
 */
import type { Page } from 'playwright-core';

/**
 * Lists every RTCPeerConnection the page makes (`window.__pcs`), so the test
 * can read getStats like a call-quality panel would. Held weakly: a call the
 * desk let go of can be collected, so a test can tell whether the desk leaks.
 */
export const RECORD_PEER_CONNECTIONS = () => {
  const refs: WeakRef<RTCPeerConnection>[] = [];
  Object.defineProperty(window, '__pcs', {
    get: () => refs.map((r) => r.deref()).filter((pc): pc is RTCPeerConnection => pc !== undefined),
  });
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      refs.push(new WeakRef(this));
    }
  } as typeof RTCPeerConnection;
};

export interface AudioIn {
  bytes: number;
  level: number;
}

/** Inbound audio of the page's live peer connection: RTP bytes received and the audio level. */
export async function audioIn(page: Page): Promise<AudioIn> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter(
      (pc) => pc.connectionState !== 'closed',
    );
    let bytes = 0;
    let level = 0;
    for (const pc of pcs) {
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; bytesReceived?: number; audioLevel?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          bytes += s.bytesReceived ?? 0;
          level = Math.max(level, s.audioLevel ?? 0);
        }
      });
    }
    return { bytes, level };
  });
}

/** Waits until inbound audio has grown past `after` bytes with a level above zero. */
export async function audioFlows(page: Page, after = 0): Promise<AudioIn> {
  const deadline = Date.now() + 15_000;
  let last: AudioIn = { bytes: 0, level: 0 };
  while (Date.now() < deadline) {
    last = await audioIn(page);
    if (last.bytes > after + 2_000 && last.level > 0) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`no inbound audio: ${JSON.stringify(last)} (needed > ${after + 2_000} bytes, level > 0)`);
}

/** What a desk shows while its SIP connection is back on its way mid-call. */
export const RECOVERY_NOTE = '전화 서버에 다시 연결하는 중입니다. 통화는 계속됩니다.';

/**
 * Starts remembering whether the page shows `text`: a note can come and go
 * faster than a locator polls. Resolves to a wait for having seen it.
 */
export async function rememberText(page: Page, text: string): Promise<() => Promise<void>> {
  await page.evaluate((t) => {
    const w = window as unknown as { __seen?: Record<string, boolean> };
    const seen = (w.__seen ??= {});
    seen[t] = false;
    new MutationObserver(() => {
      if (document.body.textContent?.includes(t)) seen[t] = true;
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  }, text);
  return async () => {
    await page.waitForFunction(
      (t) => (window as unknown as { __seen: Record<string, boolean> }).__seen[t] === true,
      text,
      { timeout: 30_000 },
    );
  };
}
