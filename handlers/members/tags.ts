import { checkInteger, DEFAULT_PORT, DEFAULT_WEIGHT, MAX_WEIGHT } from './validate-member.ts';

/**
 * The one reading of a member's tags, whichever path brought them (an event
 * line or `serf members -format json`). Only the tags the project uses are
 * read and validated; any other tag is stored as it came (JSON escapes
 * anything) and can neither reject a member nor change its server line.
 */
export interface ServerTags {
  port: number;
  weight: number;
  /** Every tag, sorted by key, so equal members serialise to equal bytes. */
  all: Record<string, string>;
}

/** Throws InvalidMember when a tag the project uses holds a bad value. */
export function readTags(tags: ReadonlyMap<string, string>): ServerTags {
  const sorted = [...tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    port: checkInteger('port', tags.get('port'), DEFAULT_PORT, 1, 65535),
    weight: checkInteger('weight', tags.get('weight'), DEFAULT_WEIGHT, 0, MAX_WEIGHT),
    // fromEntries defines own properties, so a `__proto__` tag stays a plain key.
    all: Object.fromEntries(sorted),
  };
}

/**
 * What a template may print: the template renders without escaping, so a
 * tag reaches it only when its key could be a Handlebars path segment and
 * its value is one plain token (no space, quote, newline or `#`) that cannot
 * start another word or line of the config.
 */
const TEMPLATE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const TEMPLATE_VALUE = /^[A-Za-z0-9_.:/@+=,-]{0,128}$/;

export function templateTags(tags: Readonly<Record<string, string>>): { shown: Record<string, string>; hidden: string[] } {
  const shown: [string, string][] = [];
  const hidden: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (TEMPLATE_KEY.test(key) && TEMPLATE_VALUE.test(value)) shown.push([key, value]);
    else hidden.push(key);
  }
  return { shown: Object.fromEntries(shown), hidden };
}
