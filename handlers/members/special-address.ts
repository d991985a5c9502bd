/**
 * Addresses that parse but do not name one backend. HAProxy given
 * `server d 0.0.0.0:3000` or a loopback address sends traffic to ha itself
 * (`127.0.0.1` with port 1936 is its own stats page); a link-local one
 * reaches the host's own link (169.254.169.254 is a cloud's metadata
 * service); multicast and broadcast name many hosts at once.
 */
export type SpecialKind = 'unspecified' | 'loopback' | 'link-local' | 'multicast' | 'broadcast';

function ipv4Kind([a, b, c, d]: readonly number[]): SpecialKind | undefined {
  // 0.0.0.0/8 is "this host on this network": Linux connects it to itself.
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
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

const startsWith = (bytes: readonly number[], prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);
const zeros = (n: number) => Array<number>(n).fill(0);

/**
 * The IPv4 address an IPv6 one stands for, in each spelling that a host or
 * its network may turn back into IPv4: ::a.b.c.d (compatible), ::ffff:a.b.c.d
 * (mapped), ::ffff:0:a.b.c.d (translated, RFC 6145), NAT64's 64:ff9b::/96
 * and 64:ff9b:1::/48 (RFC 6052, RFC 8215), 6to4's 2002:aabb:ccdd::/48.
 */
function embeddedIpv4(bytes: readonly number[]): number[] | undefined {
  if (startsWith(bytes, zeros(12)) || startsWith(bytes, [...zeros(10), 255, 255]) || startsWith(bytes, [...zeros(8), 255, 255, 0, 0])) return bytes.slice(12);
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return bytes.slice(12);
  // A /48 prefix: the address's bits 64-71 are zero, so it skips byte 8.
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) return [bytes[6]!, bytes[7]!, bytes[9]!, bytes[10]!];
  if (startsWith(bytes, [0x20, 0x02])) return bytes.slice(2, 6);
  return undefined;
}

/** What is special about a valid IPv4 or IPv6 literal, or undefined for an ordinary unicast address. */
export function specialKind(address: string): SpecialKind | undefined {
  if (!address.includes(':')) return ipv4Kind(address.split('.').map(Number));
  const bytes = ipv6Bytes(address);
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (startsWith(bytes, [...zeros(15), 1])) return 'loopback';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link-local';
  if (bytes[0] === 0xff) return 'multicast';
  const ipv4 = embeddedIpv4(bytes);
  return ipv4 ? ipv4Kind(ipv4) : undefined;
}
