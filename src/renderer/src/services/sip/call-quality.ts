/**
 * Live call quality from WebRTC statistics: jitter, packet loss and round-trip
 * time, and an estimated MOS (a simplified ITU-T G.107 E-model, the usual
 * approximation softphones show). Pure functions plus one getStats reader.
 */
export interface CallQuality {
  /** Estimated mean opinion score, 1 (bad) … 4.5 (excellent). */
  mos: number;
  jitterMs: number;
  lossPct: number;
  rttMs: number | null;
}

/** Below this the desk warns the agent. */
export const POOR_MOS = 3.5;

export function estimateMos(jitterMs: number, lossPct: number, rttMs: number | null): number {
  const latency = (rttMs ?? 0) / 2 + jitterMs * 2 + 10;
  let r = latency < 160 ? 93.2 - latency / 40 : 93.2 - (latency - 120) / 10;
  r -= lossPct * 2.5;
  r = Math.max(0, Math.min(100, r));
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.max(1, Math.min(4.5, mos)) * 10) / 10;
}

interface Totals {
  received: number;
  lost: number;
}

/**
 * Reads the inbound audio of a peer connection; loss is counted since `previous`
 * (the last sample), so a bad minute shows even after a long good call.
 */
export async function readCallQuality(
  pc: RTCPeerConnection,
  previous: Totals | null,
): Promise<{ quality: CallQuality; totals: Totals } | null> {
  const stats = await pc.getStats();
  let jitter = 0;
  let received = 0;
  let lost = 0;
  let rtt: number | null = null;
  let found = false;
  stats.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      found = true;
      jitter = Math.max(jitter, Number(s.jitter ?? 0));
      received += Number(s.packetsReceived ?? 0);
      lost += Number(s.packetsLost ?? 0);
    }
    if (s.type === 'remote-inbound-rtp' && s.kind === 'audio' && typeof s.roundTripTime === 'number') {
      rtt = s.roundTripTime * 1000;
    }
    if (
      rtt === null &&
      s.type === 'candidate-pair' &&
      s.nominated &&
      typeof s.currentRoundTripTime === 'number'
    ) {
      rtt = s.currentRoundTripTime * 1000;
    }
  });
  if (!found) return null;
  const dReceived = received - (previous?.received ?? 0);
  const dLost = Math.max(0, lost - (previous?.lost ?? 0));
  const lossPct = dReceived + dLost > 0 ? (100 * dLost) / (dReceived + dLost) : 0;
  const jitterMs = jitter * 1000;
  return {
    quality: {
      mos: estimateMos(jitterMs, lossPct, rtt),
      jitterMs: Math.round(jitterMs * 10) / 10,
      lossPct: Math.round(lossPct * 10) / 10,
      rttMs: rtt === null ? null : Math.round(rtt),
    },
    totals: { received, lost },
  };
}
