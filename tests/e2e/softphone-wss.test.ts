/**
 * Production's path: the desks reach Kamailio over wss:// (Kamailio's own TLS,
 * scripts/kamailio.sh --wss-port --tls-cert --tls-key), not plain ws://. The
 * certificate is made for the test with openssl; Chromium trusts exactly that
 * key (its SPKI hash), as a site's PCs trust its CA. Two desks register over
 * TLS with the wss:// address the hub hands out, call each other, and audio
 * flows both ways.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipCredentials } from '@shared/telephony';
import { launchChromium } from '../support/chromium';
import { openPhoneDesk, requireBuiltDesk } from '../support/desk-e2e';
import { api, loginAs, startTestHub, type TestHubInProcess } from '../support/in-process-hub';
import { kamailioAvailability, startKamailio, type TestKamailio } from '../support/kamailio';
import { audioFlows } from '../support/kamailio-webrtc';

const SECRET = 'e2e-wss-secret-shared-with-kamailio';
const availability = kamailioAvailability();
const certDir = mkdtempSync(join(tmpdir(), 'ieum-wss-'));

let kamailio: TestKamailio | undefined;
let hub: TestHubInProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A self-signed certificate for 127.0.0.1 and the base64 SHA-256 of its public key (what Chromium pins). */
function makeCertificate(): { cert: string; key: string; spki: string } {
  const cert = join(certDir, 'cert.pem');
  const key = join(certDir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const spki = execFileSync('bash', [
    '-c',
    `openssl x509 -in '${cert}' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
  ])
    .toString()
    .trim();
  return { cert, key, spki };
}

beforeAll(async () => {
  if (!availability.ok) return;
  requireBuiltDesk();
  const tls = makeCertificate();
  kamailio = await startKamailio({ secret: SECRET, tls });
  hub = await startTestHub({ sipSecret: SECRET, sipWsUrl: kamailio.wssUrl!, sipDomain: kamailio.domain });
  browser = await launchChromium({
    media: true,
    args: [`--ignore-certificate-errors-spki-list=${tls.spki}`],
  });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await hub?.stop();
  await kamailio?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

async function openDesk(username: string): Promise<Page> {
  try {
    return await openPhoneDesk(browser, hub.url, username, contexts);
  } catch (error) {
    throw new Error(
      `${username} did not register over wss: ${String(error)}\n${kamailio!.log().slice(-2000)}`,
    );
  }
}

const callState = (page: Page) => page.getByRole('region', { name: '현재 통화' }).getByRole('status');

describe.skipIf(!availability.ok)('desks on wss://', () => {
  it('register over TLS with the address the hub hands out, and call each other with audio both ways', async () => {
    const { token } = await loginAs(hub.url, 'agent1');
    const creds = (await api<SipCredentials>(hub.url, '/api/v1/sip/credentials', token)).body;
    expect(creds.wsUri).toBe(kamailio!.wssUrl);
    expect(creds.wsUri.startsWith('wss://')).toBe(true);

    const [a1, a2] = [await openDesk('agent1'), await openDesk('agent2')];
    await a1.getByLabel('전화번호', { exact: true }).fill('agent2');
    await a1.getByRole('button', { name: '전화 걸기', exact: true }).click();
    await a2
      .getByRole('region', { name: '현재 통화' })
      .getByRole('button', { name: '받기', exact: true })
      .click();
    await Promise.all([
      callState(a1).filter({ hasText: '통화 중' }).waitFor(),
      callState(a2).filter({ hasText: '통화 중' }).waitFor(),
    ]);
    const [heardBy1, heardBy2] = await Promise.all([audioFlows(a1), audioFlows(a2)]);
    expect(heardBy1.level).toBeGreaterThan(0);
    expect(heardBy2.level).toBeGreaterThan(0);
    await a2.getByRole('button', { name: '끊기', exact: true }).click();
    await a1.getByRole('form', { name: '후처리' }).waitFor();
  });
});
