import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore, type Cipher } from '../../../../src/main/host/credential-store';

/** Stands in for safeStorage: a reversible transform that never leaves the plain text visible. */
const fakeCipher = (available = true): Cipher => ({
  isAvailable: () => available,
  encrypt: (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('hex').split('').reverse().join('')}`),
  decrypt: (data) => {
    const text = data.toString();
    if (!text.startsWith('enc:')) throw new Error('not ours');
    return Buffer.from(text.slice(4).split('').reverse().join(''), 'hex').toString();
  },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ieum-cred-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('credential store', () => {
  it('saves encrypted per hub origin, never in plain text', async () => {
    const file = join(dir, 'credentials.json');
    const store = createCredentialStore(file, fakeCipher());
    const token = 'eyJhbGciOiJIUzI1NiJ9.secret-token';
    expect(await store.save('https://hub.example:8443/desk/', token)).toEqual({ ok: true, value: null });
    expect(readFileSync(file, 'utf8')).not.toContain('secret-token');
    expect(await store.load('https://hub.example:8443')).toEqual({ ok: true, value: token });
    expect(await store.load('https://other.example')).toEqual({ ok: true, value: null });
    expect(await store.clear('https://hub.example:8443/')).toEqual({ ok: true, value: null });
    expect(await store.load('https://hub.example:8443')).toEqual({ ok: true, value: null });
  });

  it('refuses to store a token when the OS cannot encrypt', async () => {
    const file = join(dir, 'credentials.json');
    const result = await createCredentialStore(file, fakeCipher(false)).save('https://hub', 'token');
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(() => readFileSync(file)).toThrow();
  });

  it('treats a token it cannot decrypt as logged out', async () => {
    const file = join(dir, 'credentials.json');
    await createCredentialStore(file, fakeCipher()).save('https://hub', 'token');
    const other: Cipher = {
      ...fakeCipher(),
      decrypt: () => {
        throw new Error('other keychain');
      },
    };
    expect(await createCredentialStore(file, other).load('https://hub')).toEqual({ ok: true, value: null });
  });

  it('rejects non-http hub URLs', async () => {
    const store = createCredentialStore(join(dir, 'c.json'), fakeCipher());
    expect(await store.save('file:///etc', 't')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
