// Who may call the Data Provider API. The client is the socket's address; X-Forwarded-For is read
// only when the socket belongs to a proxy the admin named. Changes apply without a restart.
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import { inRanges, parseAddress, parseRange, parseRanges, type Range } from '../../shared/ip-ranges.js';

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
const DECISIONS_KEPT = 1024;

export class AccessControl {
  private allowed: Range[] = [];
  private proxies: Range[] = [];
  private allowAll = false;
  /** Recently refused and served addresses, newest last; the dashboard shows them next to the allowlist. */
  private readonly refused = new RecentClients();
  private readonly served = new RecentClients();
  /** Socket address → decision, while no proxies are trusted (cleared on every change). */
  private readonly decisions = new Map<string, { address: string; allowed: boolean }>();

  constructor(settings: AccessSettings) {
    this.update(settings);
  }

  update(settings: AccessSettings): void {
    this.allowed = parseRanges(settings.allowlist);
    this.proxies = parseRanges(settings.trustedProxies);
    this.allowAll = settings.allowAll;
    this.decisions.clear();
  }

  /**
   * The client's address. Behind trusted proxies, walk X-Forwarded-For from the right and stop at
   * the first address that is not a trusted proxy (what proxy-addr does); a client cannot forge
   * entries to the right of the ones its proxies appended.
   */
  clientAddress(req: IncomingMessage): string {
    return this.client(req).address;
  }

  /** The client and whether it may pass; the common case (no proxies) is cached per socket address. */
  private client(req: IncomingMessage): { address: string; allowed: boolean } {
    const remote = req.socket.remoteAddress ?? '';
    if (this.proxies.length === 0) {
      let known = this.decisions.get(remote);
      if (!known) {
        const addr = parseAddress(remote);
        known = { address: addr ? addr.toString() : remote || 'unknown', allowed: addr !== null && (this.allowAll || inRanges(addr, this.allowed)) };
        if (this.decisions.size >= DECISIONS_KEPT) this.decisions.clear();
        this.decisions.set(remote, known);
      }
      return known;
    }
    const socketAddr = parseAddress(remote);
    if (!socketAddr) return { address: remote || 'unknown', allowed: false };
    let client = socketAddr;
    if (inRanges(client, this.proxies)) {
      const header = req.headers['x-forwarded-for'];
      const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = parseAddress(hops[i]);
        if (!hop) break;
        client = hop;
        if (!inRanges(hop, this.proxies)) break;
      }
    }
    return { address: client.toString(), allowed: this.allowAll || inRanges(client, this.allowed) };
  }

  isAllowed(address: string): boolean {
    if (this.allowAll) return true;
    const addr = parseAddress(address);
    return addr !== null && inRanges(addr, this.allowed);
  }

  recentlyRefused(): RefusedClient[] {
    return this.refused.newestFirst();
  }

  /** Addresses let in recently, newest first: usually core, which a new allowlist must keep. */
  recentlyServed(): RefusedClient[] {
    return this.served.newestFirst();
  }

  /** Entries that are not addresses or ranges, and recent clients the entries would refuse. */
  checkList(entries: string[], allowAll = false, sinceMs = 24 * 3600_000): { problems: Array<{ index: number; entry: string; message: string }>; wouldLockOut: string[] } {
    const problems: Array<{ index: number; entry: string; message: string }> = [];
    const ranges: Range[] = [];
    entries.forEach((entry, index) => {
      const range = parseRange(entry);
      if (range) ranges.push(range);
      else problems.push({ index, entry, message: `"${entry}" is not an IP address or CIDR range (examples: 203.0.113.7, 203.0.113.0/24, 2001:db8::/32)` });
    });
    const since = Date.now() - sinceMs;
    const wouldLockOut = allowAll ? [] : this.recentlyServed()
      .filter((c) => Date.parse(c.lastAt) >= since)
      .map((c) => c.address)
      .filter((a) => {
        const addr = parseAddress(a);
        return addr !== null && !inRanges(addr, ranges);
      });
    return { problems, wouldLockOut };
  }

  /** Koa middleware: 403 before any billing work for addresses not on the list. */
  middleware() {
    return (ctx: Context, next: Next): Promise<void> => {
      const { address, allowed } = this.client(ctx.req);
      ctx.state.clientAddress = address;
      if (!allowed) {
        this.refused.note(address);
        ctx.throw(403, `${address} is not on this agent's allowlist`);
      }
      this.served.note(address);
      return next();
    };
  }
}

interface SeenClient {
  address: string;
  count: number;
  lastMs: number;
}

/** A small most-recently-seen list of addresses with counts. */
class RecentClients {
  private readonly seen = new Map<string, SeenClient>();
  private newest: string | null = null;

  /**
   * Runs for every request, so no date strings here, and when the address is already the newest
   * (core, nearly always) the map is not reordered.
   */
  note(address: string): void {
    const entry = this.seen.get(address) ?? { address, count: 0, lastMs: 0 };
    entry.count += 1;
    entry.lastMs = Date.now();
    if (this.newest === address) return;
    this.seen.delete(address);
    this.seen.set(address, entry);
    this.newest = address;
    if (this.seen.size > REFUSED_KEPT) this.seen.delete(this.seen.keys().next().value!);
  }

  newestFirst(): RefusedClient[] {
    return [...this.seen.values()].reverse().map((c) => ({ address: c.address, count: c.count, lastAt: new Date(c.lastMs).toISOString() }));
  }
}
