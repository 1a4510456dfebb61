/**
 * Hold music's control path without a real rtpengine: the NG client against a
 * stand-in that speaks rtpengine's protocol (bencode over UDP, cookies), the
 * commands the hub sends for a waiting caller, and what it does when rtpengine
 * refuses or does not answer. The real rtpengine plays the music in
 * tests/e2e/softphone-queue.test.ts.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import bencode from 'bencode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLD_TO_TAG, holdCallId, startHoldMusic } from '../../server/telephony/hold-music';
import { createRtpengineNg, parseNgAddress, toText, type NgDict } from '../../server/telephony/rtpengine-ng';

const CALLER_SDP = 'v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 40000 RTP/AVP 0\r\n';
const received: NgDict[] = [];
/** What the stand-in answers next: a reply, or nothing (a lost datagram). */
let reply: (command: NgDict) => NgDict | null = () => ({ result: 'ok' });
let server: dgram.Socket;
let address = '';

beforeAll(async () => {
  server = dgram.createSocket('udp4');
  server.on('message', (message, from) => {
    const space = message.indexOf(0x20);
    const cookie = message.subarray(0, space).toString();
    const command = toText(bencode.decode(message.subarray(space + 1))) as NgDict;
    received.push(command);
    const answer = reply(command);
    if (answer)
      server.send(
        Buffer.concat([Buffer.from(`${cookie} `), Buffer.from(bencode.encode(answer))]),
        from.port,
        from.address,
      );
  });
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  address = `udp:127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('rtpengine NG client', () => {
  it('reads only udp:HOST:PORT addresses', () => {
    expect(parseNgAddress('udp:127.0.0.1:22222')).toEqual({ host: '127.0.0.1', port: 22222 });
    expect(() => parseNgAddress('tcp:127.0.0.1:22222')).toThrow(/udp:HOST:PORT/);
  });

  it('sets up a waiting caller: offer, a stand-in answer on the discard port, the music on a loop', async () => {
    received.length = 0;
    reply = (c): NgDict =>
      c['command'] === 'offer'
        ? { result: 'ok', sdp: 'v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 30000 RTP/AVP 0\r\n' }
        : c['command'] === 'answer'
          ? { result: 'ok', sdp: 'v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 30002 RTP/AVP 0\r\n' }
          : { result: 'ok' };
    const ng = createRtpengineNg(address);
    const sdp = await startHoldMusic(ng, { callId: 'c1', fromTag: 'ft', sdp: CALLER_SDP }, '/srv/hold.wav');
    ng.close();
    expect(sdp).toContain('m=audio 30002');
    expect(received.map((c) => c['command'])).toEqual(['offer', 'answer', 'play media']);
    // Its own session, so the agent's WebRTC bridge on the call's Call-ID starts clean.
    for (const c of received) expect(c).toMatchObject({ 'call-id': holdCallId('c1'), 'from-tag': 'ft' });
    expect(received[0]).toMatchObject({ sdp: CALLER_SDP });
    expect(received[1]).toMatchObject({ 'to-tag': HOLD_TO_TAG });
    expect(String(received[1]!['sdp'])).toContain('m=audio 9 ');
    expect(received[2]).toMatchObject({ file: '/srv/hold.wav' });
  });

  it('says clearly when rtpengine refuses, and tries again once when it does not answer', async () => {
    const ng = createRtpengineNg(address, { timeoutMs: 200 });
    reply = () => ({ result: 'error', 'error-reason': 'Unknown call-id' });
    await expect(ng.command({ command: 'play media' })).rejects.toThrow(
      /refused play media: Unknown call-id/,
    );
    received.length = 0;
    reply = () => null;
    await expect(ng.command({ command: 'offer' })).rejects.toThrow(/did not answer offer/);
    expect(received).toHaveLength(2);
    ng.close();
  });
});
