import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, t=3): slow on purpose. */
export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed hash is a failed login, not a crash
  }
}

// A fixed hash to verify against when the user does not exist, so a login for
// an unknown name costs the same time as a wrong password (no user enumeration).
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword('ieum-no-such-user'));
