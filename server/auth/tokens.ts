/**
 * Signed session tokens (JWT, HS256, via jose). The secret comes from config or
 * from a key file in the data directory, created on first start with 0600 so
 * several hub processes sharing a data dir (or configured with the same secret)
 * accept each other's tokens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';
import { type Role, Role as RoleSchema } from '@shared/domain';
import { HubError } from '../errors';

export interface TokenClaims {
  userId: string;
  siteId: string;
  role: Role;
}

export interface TokenService {
  sign(claims: TokenClaims): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string): Promise<TokenClaims>;
}

export function loadSecret(dataDir: string, configured?: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  const file = join(dataDir, 'token.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export function createTokenService(secret: Uint8Array, ttlSeconds: number): TokenService {
  const issuer = 'ieum-hub';
  return {
    async sign(claims) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({ site: claims.siteId, role: claims.role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(secret);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer, algorithms: ['HS256'] });
        const role = RoleSchema.safeParse(payload.role);
        if (!payload.sub || typeof payload.site !== 'string' || !role.success) {
          throw new HubError('UNAUTHENTICATED', 'token is missing claims');
        }
        return { userId: payload.sub, siteId: payload.site, role: role.data };
      } catch (err) {
        if (err instanceof HubError) throw err;
        if (err instanceof errors.JWTExpired)
          throw new HubError('TOKEN_EXPIRED', 'token expired: log in again');
        throw new HubError('UNAUTHENTICATED', 'invalid token');
      }
    },
  };
}
