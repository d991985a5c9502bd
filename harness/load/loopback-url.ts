/**
 * Load goes to this machine only (project rule): the generator is pointed at
 * HAProxy's published port, never at anyone else's address.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Parses `url` and refuses anything that is not http or https on 127.0.0.1 or localhost. */
export function parseLoopbackUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new TypeError(`Expected \`url\` to be an http://127.0.0.1:<port>/ URL, got \`${url}\``, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`Expected \`url\` to use http: or https:, got \`${parsed.protocol}\` in \`${url}\``);
  }
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new TypeError(`Expected \`url\` to target 127.0.0.1 or localhost (load goes nowhere else), got \`${parsed.hostname}\` in \`${url}\``);
  }
  return parsed;
}
