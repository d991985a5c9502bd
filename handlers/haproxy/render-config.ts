import Handlebars from 'handlebars';
import { templateTags } from '../members/tags.ts';
import { type Server, byName } from '../pool/server.ts';

export class TemplateError extends Error {}

/** What the template sees for each server; `hostport` is ready for a `server` line, `tags` only those safe to print. */
export interface ServerView extends Server {
  hostport: string;
}

export interface TemplateContext {
  servers: ServerView[];
  count: number;
}

/** Sorted here too, so the same set renders the same bytes whoever calls. */
export function templateContext(servers: readonly Server[]): TemplateContext {
  return {
    // HAProxy reads the text after the last colon as the port, so IPv6 needs brackets.
    servers: [...servers].sort(byName).map((b) => ({
      ...b,
      hostport: b.address.includes(':') ? `[${b.address}]:${b.port}` : `${b.address}:${b.port}`,
      tags: templateTags(b.tags).shown,
    })),
    count: servers.length,
  };
}

/**
 * Renders the HAProxy config. No HTML escaping (this is not HTML, and every
 * value was validated), and strict mode, so a misspelt field is an error
 * instead of an empty string in the config.
 */
export function renderConfig(templateSource: string, servers: readonly Server[]): string {
  const handlebars = Handlebars.create();
  try {
    const template = handlebars.compile(templateSource, { noEscape: true, strict: true });
    return template(templateContext(servers));
  } catch (error) {
    const message = (error as Error).message.split('\n').filter(Boolean).join(' ');
    throw new TemplateError(`template does not render: ${message}`, { cause: error });
  }
}
