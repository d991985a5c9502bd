import { randomBytes } from 'node:crypto';

export interface Visit {
  sessionId: string;
  views: number;
  /** True when the visitor brought no session this container knows, so the cookie must be (re)set. */
  isNew: boolean;
}

export interface SessionStore {
  visit(sessionId: string | undefined): Visit;
  readonly size: number;
}

function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * View counters per session, in memory, holding at most `limit` sessions: a
 * Map iterates in insertion order, so re-inserting on every visit keeps the
 * least recently seen session first, and that is the one evicted.
 */
export function createSessionStore(limit: number): SessionStore {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`expected the session limit to be a positive integer, got ${String(limit)}`);
  }
  const views = new Map<string, number>();
  return {
    visit(sessionId) {
      const known = sessionId !== undefined ? views.get(sessionId) : undefined;
      const id = known !== undefined && sessionId !== undefined ? sessionId : newSessionId();
      const count = (known ?? 0) + 1;
      views.delete(id);
      views.set(id, count);
      if (views.size > limit) {
        const oldest = views.keys().next();
        if (!oldest.done) views.delete(oldest.value);
      }
      return { sessionId: id, views: count, isNew: known === undefined };
    },
    get size() {
      return views.size;
    },
  };
}
