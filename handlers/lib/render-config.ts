import Handlebars from 'handlebars';
import { type Backend, byName } from './backend.ts';

export class TemplateError extends Error {}

/** What the template sees for each backend; `hostport` is ready for a `server` line. */
export interface ServerView extends Backend {
  hostport: string;
}

export interface TemplateContext {
  backends: ServerView[];
  count: number;
}

/** Sorted here too, so the same set renders the same bytes whoever calls. */
export function templateContext(backends: readonly Backend[]): TemplateContext {
  return {
    // HAProxy reads the text after the last colon as the port, so IPv6 needs brackets.
    backends: [...backends].sort(byName).map((b) => ({ ...b, hostport: b.address.includes(':') ? `[${b.address}]:${b.port}` : `${b.address}:${b.port}` })),
    count: backends.length,
  };
}

/**
 * Renders the HAProxy config. No HTML escaping (this is not HTML, and every
 * value was validated), and strict mode, so a misspelt field is an error
 * instead of an empty string in the config.
 */
export function renderConfig(templateSource: string, backends: readonly Backend[]): string {
  const handlebars = Handlebars.create();
  try {
    const template = handlebars.compile(templateSource, { noEscape: true, strict: true });
    return template(templateContext(backends));
  } catch (error) {
    const message = (error as Error).message.split('\n').filter(Boolean).join(' ');
    throw new TemplateError(`template does not render: ${message}`, { cause: error });
  }
}
