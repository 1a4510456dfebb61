/**
 * Hub tokens, one per hub origin, kept encrypted on disk. The cipher is passed
 * in (Electron's safeStorage in the app, a fake in tests) so this module runs
 * under plain Node. When no OS encryption is available the store refuses to
 * save rather than write a token in plain text.
 */
import { fail, ok, type Result } from '@shared/errors';
import { readJsonFile, writeJsonFile } from './json-file';

export interface Cipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

export interface CredentialStore {
  save(hubUrl: string, token: string): Promise<Result<null>>;
  load(hubUrl: string): Promise<Result<string | null>>;
  clear(hubUrl: string): Promise<Result<null>>;
}

/** Tokens are keyed by origin so `https://hub/` and `https://hub/desk/` share one login. */
export function credentialKey(hubUrl: string): string | null {
  try {
    const url = new URL(hubUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

type Vault = Record<string, string>;

async function readVault(file: string): Promise<Vault> {
  const raw = await readJsonFile(file);
  if (raw === null || typeof raw !== 'object') return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

export function createCredentialStore(file: string, cipher: Cipher): CredentialStore {
  return {
    async save(hubUrl, token) {
      const key = credentialKey(hubUrl);
      if (!key) return fail('BAD_REQUEST', 'hub URL must be http(s)');
      if (!cipher.isAvailable()) return fail('UNAVAILABLE', 'no OS encryption available; token not stored');
      const vault = await readVault(file);
      vault[key] = cipher.encrypt(token).toString('base64');
      await writeJsonFile(file, vault);
      return ok(null);
    },
    async load(hubUrl) {
      const key = credentialKey(hubUrl);
      if (!key) return fail('BAD_REQUEST', 'hub URL must be http(s)');
      const stored = (await readVault(file))[key];
      if (stored === undefined || !cipher.isAvailable()) return ok(null);
      try {
        return ok(cipher.decrypt(Buffer.from(stored, 'base64')));
      } catch {
        // Encrypted under another OS user or a reset keychain: treat as logged out.
        return ok(null);
      }
    },
    async clear(hubUrl) {
      const key = credentialKey(hubUrl);
      if (!key) return fail('BAD_REQUEST', 'hub URL must be http(s)');
      const vault = await readVault(file);
      if (key in vault) {
        delete vault[key];
        await writeJsonFile(file, vault);
      }
      return ok(null);
    },
  };
}
