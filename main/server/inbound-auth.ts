// Optional credential core presents (HTTP Basic or a bearer token), on top of the allowlist.
import type { Context, Next } from 'koa';
import { tokensEqual } from '../admin/token.js';

export interface InboundAuth {
  mode: 'none' | 'basic' | 'bearer';
  login: string;
  /** The `api-token` secret; null while it is not set. */
  secret: string | null;
}

function presented(header: string, auth: InboundAuth): boolean {
  if (auth.secret === null) return false;
  if (auth.mode === 'bearer') {
    const match = /^Bearer (.+)$/i.exec(header);
    return match !== null && tokensEqual(match[1]!, auth.secret);
  }
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both parts are always compared, so timing does not tell which one was wrong.
  const loginOk = tokensEqual(decoded.slice(0, colon), auth.login);
  const secretOk = tokensEqual(decoded.slice(colon + 1), auth.secret);
  return loginOk && secretOk;
}

export function inboundAuth(current: () => InboundAuth) {
  return function checkInboundAuth(ctx: Context, next: Next): Promise<void> {
    const auth = current();
    if (auth.mode !== 'none' && !presented(ctx.get('Authorization'), auth)) {
      ctx.set('WWW-Authenticate', auth.mode === 'basic' ? 'Basic realm="billing-bridge"' : 'Bearer');
      ctx.throw(401, 'this agent requires credentials from core (see server.inboundAuth)');
    }
    return next();
  };
}
