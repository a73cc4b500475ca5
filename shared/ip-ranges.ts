// IP addresses and CIDR ranges (ipaddr.js does the parsing). IPv4-mapped IPv6 addresses
// (::ffff:203.0.113.7, what a dual-stack socket reports for IPv4 clients) are compared as IPv4.
import ipaddr from 'ipaddr.js';

export type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** "203.0.113.7", "203.0.113.0/24", "2001:db8::/32", "::ffff:10.0.0.0/104" → a range, or null. */
export function parseRange(text: string): Range | null {
  const value = text.trim();
  try {
    if (value.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(value);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
      }
      return [addr, bits];
    }
    const addr = ipaddr.process(value);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** A socket or header address → a parsed address (IPv4-mapped unwrapped, zone id dropped), or null. */
export function parseAddress(text: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!text) return null;
  try {
    return ipaddr.process(text.trim().replace(/%.*$/, ''));
  } catch {
    return null;
  }
}

export function inRanges(addr: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]): boolean {
  return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

export function parseRanges(entries: readonly string[]): Range[] {
  return entries.map((e) => {
    const range = parseRange(e);
    if (!range) throw new RangeError(`not an IP address or CIDR range: ${e}`);
    return range;
  });
}
