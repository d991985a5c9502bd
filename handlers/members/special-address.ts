/**
 * Addresses that parse but do not name one backend. HAProxy given
 * `server d 0.0.0.0:3000` or a loopback address sends traffic to ha itself
 * (`127.0.0.1` with port 1936 is its own stats page); multicast and
 * broadcast name many hosts at once.
 */
export type SpecialKind = 'unspecified' | 'loopback' | 'multicast' | 'broadcast';

function ipv4Kind([a, b, c, d]: readonly number[]): SpecialKind | undefined {
  // 0.0.0.0/8 is "this host on this network": Linux connects it to itself.
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a! >= 224 && a! <= 239) return 'multicast';
  if (a === 255 && b === 255 && c === 255 && d === 255) return 'broadcast';
  return undefined;
}

/** The 16 bytes of a valid IPv6 literal (already checked by the caller). */
function ipv6Bytes(address: string): number[] {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = tail ? `${address.slice(0, -tail[0].length)}0:0` : address;
  const [head = '', rest] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  const bytes = groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 255];
  });
  if (tail) bytes.splice(12, 4, ...tail.slice(1).map(Number));
  return bytes;
}

/** What is special about a valid IPv4 or IPv6 literal, or undefined for an ordinary unicast address. */
export function specialKind(address: string): SpecialKind | undefined {
  if (!address.includes(':')) return ipv4Kind(address.split('.').map(Number));
  const bytes = ipv6Bytes(address);
  // An IPv4-mapped address (::ffff:a.b.c.d) reaches the IPv4 address it holds.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return ipv4Kind(bytes.slice(12));
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  if (bytes[0] === 255) return 'multicast';
  return undefined;
}
