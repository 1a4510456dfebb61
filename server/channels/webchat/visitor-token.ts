/**
 * Visitor tokens: an HMAC-signed `v1.<sessionId>.<conversationId>.<mac>`. The
 * widget keeps it in the page's localStorage, so a reload or a dropped
 * network finds the same conversation. The key is derived from the hub's
 * token secret, so every hub process of a site accepts the same tokens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HubError } from '../../errors';

export interface VisitorClaims {
  sessionId: string;
  conversationId: string;
}

export class VisitorTokens {
  private readonly key: Buffer;

  constructor(secret: Uint8Array) {
    this.key = createHmac('sha256', Buffer.from(secret)).update('ieum-webchat-visitor').digest();
  }

  sign(claims: VisitorClaims): string {
    const body = `v1.${claims.sessionId}.${claims.conversationId}`;
    return `${body}.${this.mac(body)}`;
  }

  verify(token: unknown): VisitorClaims {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 4 || parts[0] !== 'v1') throw new HubError('UNAUTHENTICATED', 'bad visitor token');
    const body = parts.slice(0, 3).join('.');
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(parts[3]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new HubError('UNAUTHENTICATED', 'bad visitor token');
    }
    return { sessionId: parts[1]!, conversationId: parts[2]! };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
