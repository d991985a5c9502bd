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

/**
 * Whether a tag field can be read only one way. Serf escapes neither `,`
 * nor `=` and writes tags in random order, so `note=a,port=4000` may be one
 * tag or two. It is certain only when every piece is one `key=value` with a
 * single `=`, no key repeats, the role piece agrees with the line's own role
 * field (written whole), and at most one other tag is there: that tag's
 * value is then everything that is not the role. A webapp's `role=backend,
 * port=3000` is certain; anything richer is looked up in `serf members`.
 */
export function tagsReadOneWay(field: string, role: string): boolean {
  const pieces = field === '' ? [] : field.split(',');
  const keys = pieces.map((piece) => (piece.split('=').length === 2 ? piece.slice(0, piece.indexOf('=')) : undefined));
  if (keys.some((key) => key === undefined) || new Set(keys).size !== keys.length) return false;
  const rolePiece = pieces.find((piece) => piece.startsWith('role='));
  if ((rolePiece ?? 'role=') !== `role=${role}`) return false;
  return pieces.length - (rolePiece === undefined ? 0 : 1) <= 1;
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
    const member = { name, address, role, tags: parseTags(tags) };
    parsed.push({ ok: true, line, member: tagsReadOneWay(tags, role) ? member : { ...member, tagsUncertain: true } });
  });
  return parsed;
}
