import type { Member } from './member.ts';

export type ParsedLine =
  | { ok: true; line: number; member: Member }
  | { ok: false; line: number; reason: string };

/**
 * Serf's agent writes tabs and newlines inside a value as the two characters
 * `\t` and `\n` (eventClean in serf's event_handler.go) and escapes nothing
 * else, so a backslash followed by another character is kept as it is.
 */
export function unescapeField(value: string): string {
  return value.replace(/\\([tn])/g, (_, c: string) => (c === 't' ? '\t' : '\n'));
}

/**
 * Serf joins tags as `k=v,k=v` without escaping commas or `=` in values, so a
 * piece without `=` can only be the rest of the previous value.
 */
export function parseTags(field: string): Map<string, string> {
  const tags = new Map<string, string>();
  let lastKey: string | undefined;
  for (const piece of field.split(',')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq === -1) {
      if (lastKey !== undefined) tags.set(lastKey, `${tags.get(lastKey)},${piece}`);
      continue;
    }
    lastKey = piece.slice(0, eq);
    tags.set(lastKey, piece.slice(eq + 1));
  }
  return tags;
}

/** Parses the agent's stdin for member events: `name<TAB>address<TAB>role<TAB>tags` per line. */
export function parseMemberLines(input: string): ParsedLine[] {
  const parsed: ParsedLine[] = [];
  input.split('\n').forEach((raw, index) => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    const line = index + 1;
    // Fields past the fourth are tolerated so a newer agent adding one does not break us.
    const fields = text.split('\t');
    if (fields.length < 3) {
      parsed.push({ ok: false, line, reason: `expected name<TAB>address<TAB>role<TAB>tags, got ${fields.length} field(s)` });
      return;
    }
    const [name, address, role, tags = ''] = fields.map(unescapeField) as [string, string, string, string?];
    parsed.push({ ok: true, line, member: { name, address, role, tags: parseTags(tags) } });
  });
  return parsed;
}
