/**
 * The baseline for `bench/hub.ts`: a bare socket.io server that acks every
 * command at once, with no auth, validation or storage. Run as its own process,
 * like the hub, and prints its port on stdout.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { path: '/socket.io' });
io.on('connection', (socket) => {
  socket.on('message.send', (payload: unknown, ack: (r: unknown) => void) =>
    ack({ ok: true, value: payload }),
  );
});
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));
