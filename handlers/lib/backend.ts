/** One web-app server as HAProxy sees it: what a file in the nodes directory holds. */
export interface Backend {
  name: string;
  address: string;
  port: number;
  weight: number;
  /** All of the member's Serf tags, sorted by key, so equal members serialise to equal bytes. */
  tags: Record<string, string>;
  /** ISO time of the last change to this entry; never rendered, so it cannot cause a reload. */
  updated: string;
}

/** A Serf member as the agent reports it, before any validation. */
export interface Member {
  name: string;
  address: string;
  role: string;
  tags: Map<string, string>;
}

export function sameBackend(a: Backend, b: Backend): boolean {
  return (
    a.name === b.name &&
    a.address === b.address &&
    a.port === b.port &&
    a.weight === b.weight &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}

/** Code-unit order, not localeCompare: the same on every machine and locale. */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
