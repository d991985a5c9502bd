/** A Serf member as the agent reports it, before any validation. */
export interface Member {
  name: string;
  address: string;
  role: string;
  tags: Map<string, string>;
}
