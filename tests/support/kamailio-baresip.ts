/**
 * baresip (Debian) as a customer's ordinary phone: plain RTP (PCMU), a 440 Hz
 * tone as its microphone, what it hears written to a WAV file (its status line
 * gives the audio bit rates each way). It dials once
 * through Kamailio's UDP port and quits after `seconds`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kamailio';

export interface BaresipCall {
  /** baresip's latest audio bit rates of the call (its status line), or null before the call is up. */
  audioBitrates(): { tx: number; rx: number } | null;
  output(): string;
  done: Promise<number | null>;
  /** The customer puts the phone down: baresip quits as on Ctrl-C, ending its call with a BYE. */
  hangUp(): void;
  kill(): void;
}

export async function baresipCall(opts: {
  sipPort: number;
  /** The caller's number as the trunk would present it. */
  from: string;
  to: string;
  seconds: number;
  /** baresip's debug output too (e.g. the DTMF digits it receives). */
  verbose?: boolean;
}): Promise<BaresipCall> {
  const dir = mkdtempSync(join(tmpdir(), 'ieum-baresip-'));
  const heard = join(dir, 'heard.wav');
  const port = await freePort();
  writeFileSync(
    join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${port}`,
      'sip_trans_def udp',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module ausine.so',
      'module aufile.so',
      'module stdio.so',
      'module_app account.so',
      'module_app menu.so',
      'audio_source ausine,440',
      // ausine makes 48 kHz stereo only; baresip resamples for PCMU.
      'ausrc_srate 48000',
      'ausrc_channels 2',
      `audio_player aufile,${heard}`,
      'audio_alert aufile,/dev/null',
      'rtp_ports 40000-40999',
      'net_interface 127.0.0.1',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${opts.from}@customer.example>;regint=0;outbound="sip:127.0.0.1:${opts.sipPort};transport=udp";audio_codecs=PCMU\n`,
  );
  const args = [
    '-f',
    dir,
    ...(opts.verbose ? ['-v'] : []),
    '-e',
    `/dial ${opts.to}`,
    '-t',
    String(opts.seconds),
  ];
  const child = spawn('baresip', args, {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    audioBitrates: () => {
      const all = [...output.matchAll(/audio=(\d+)\/(\d+) \(bit\/s\)/g)];
      const last = all[all.length - 1];
      return last ? { tx: Number(last[1]), rx: Number(last[2]) } : null;
    },
    output: () => output,
    done: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    hangUp: () => child.kill('SIGINT'),
    kill: () => child.kill('SIGKILL'),
  };
}
