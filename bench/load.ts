/**
 * Closed-loop load: N socket.io clients each send one command, wait for its
 * ack, and send the next, for a fixed duration. Returns throughput and ack
 * latency percentiles. Shared by the hub benchmark and its baseline so both
 * are measured by the same client code.
 */
import { io as connect, type Socket } from 'socket.io-client';

export interface LoadResult {
  clients: number;
  seconds: number;
  commands: number;
  failed: number;
  /** Failed acks by error code, so a rate limit is not mistaken for a fault. */
  failures: Record<string, number>;
  commandsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadClient {
  auth?: Record<string, unknown>;
  payload: (i: number) => unknown;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

export async function runLoad(
  url: string,
  clients: LoadClient[],
  seconds: number,
  event = 'message.send',
): Promise<LoadResult> {
  const sockets: Socket[] = [];
  // Connect in batches so the handshake storm is not what we measure.
  for (let i = 0; i < clients.length; i += 50) {
    const batch = clients.slice(i, i + 50).map(
      (c) =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect(url, {
            auth: c.auth,
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
          });
          s.once('connect', () => resolve(s));
          s.once('connect_error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const latencies: number[] = [];
  let failed = 0;
  const failures: Record<string, number> = {};
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    sockets.map(async (s, k) => {
      let i = 0;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const r = (await s.emitWithAck(event, clients[k]!.payload(i++))) as {
          ok: boolean;
          error?: { code?: string };
        };
        latencies.push(performance.now() - t0);
        if (!r.ok) {
          failed++;
          const code = r.error?.code ?? 'unknown';
          failures[code] = (failures[code] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const s of sockets) s.close();
  latencies.sort((a, b) => a - b);
  return {
    clients: clients.length,
    seconds: Math.round(elapsed * 100) / 100,
    commands: latencies.length,
    failed,
    failures,
    commandsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  };
}
