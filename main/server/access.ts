// Who may call the Data Provider API. The client is the socket's address; X-Forwarded-For is read
// only when the socket belongs to a proxy the admin named. Changes apply without a restart.
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import { inRanges, parseAddress, parseRanges, type Range } from './ip-ranges.js';

export interface AccessSettings {
  allowlist: string[];
  allowAll: boolean;
  trustedProxies: string[];
}

export interface RefusedClient {
  address: string;
  count: number;
  lastAt: string;
}

const REFUSED_KEPT = 50;

export class AccessControl {
  private allowed: Range[] = [];
  private proxies: Range[] = [];
  private allowAll = false;
  /** Recently refused addresses, newest last; the dashboard shows them next to the allowlist. */
  private readonly refused = new Map<string, RefusedClient>();

  constructor(settings: AccessSettings) {
    this.update(settings);
  }

  update(settings: AccessSettings): void {
    this.allowed = parseRanges(settings.allowlist);
    this.proxies = parseRanges(settings.trustedProxies);
    this.allowAll = settings.allowAll;
  }

  /**
   * The client's address. Behind trusted proxies, walk X-Forwarded-For from the right and stop at
   * the first address that is not a trusted proxy (what proxy-addr does); a client cannot forge
   * entries to the right of the ones its proxies appended.
   */
  clientAddress(req: IncomingMessage): string {
    const socketAddr = parseAddress(req.socket.remoteAddress);
    if (!socketAddr) return req.socket.remoteAddress ?? 'unknown';
    let client = socketAddr;
    if (this.proxies.length > 0 && inRanges(client, this.proxies)) {
      const header = req.headers['x-forwarded-for'];
      const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = parseAddress(hops[i]);
        if (!hop) break;
        client = hop;
        if (!inRanges(hop, this.proxies)) break;
      }
    }
    return client.toString();
  }

  isAllowed(address: string): boolean {
    if (this.allowAll) return true;
    const addr = parseAddress(address);
    return addr !== null && inRanges(addr, this.allowed);
  }

  recentlyRefused(): RefusedClient[] {
    return [...this.refused.values()].reverse();
  }

  private noteRefused(address: string): void {
    const entry = this.refused.get(address) ?? { address, count: 0, lastAt: '' };
    entry.count += 1;
    entry.lastAt = new Date().toISOString();
    this.refused.delete(address);
    this.refused.set(address, entry);
    if (this.refused.size > REFUSED_KEPT) this.refused.delete(this.refused.keys().next().value!);
  }

  /** Koa middleware: 403 before any billing work for addresses not on the list. */
  middleware() {
    return async (ctx: Context, next: Next): Promise<void> => {
      const address = this.clientAddress(ctx.req);
      ctx.state.clientAddress = address;
      if (!this.isAllowed(address)) {
        this.noteRefused(address);
        ctx.throw(403, `${address} is not on this agent's allowlist`);
      }
      await next();
    };
  }
}
