import Handlebars from 'handlebars';
import { templateTags } from '../members/tags.ts';
import { type Server, byName } from '../pool/server.ts';
import { hostportOf } from './server-lines.ts';

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
    servers: [...servers].sort(byName).map((b) => ({
      ...b,
      hostport: hostportOf(b),
      tags: templateTags(b.tags).shown,
    })),
    count: servers.length,
  };
}

/**
 * No HTML escaping (this is not HTML, and every value was validated), and
 * strict mode, so a misspelt field is an error instead of an empty string in
 * the config.
 */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

type Template = (context: TemplateContext) => string;

/** The last template this process compiled: the engine renders the same one run after run. */
let lastCompiled: { source: string; template: Template } | undefined;

function compiledTemplate(source: string): Template {
  if (lastCompiled?.source !== source) lastCompiled = { source, template: Handlebars.compile<TemplateContext>(source, COMPILE_OPTIONS) };
  return lastCompiled.template;
}

const oneLine = (error: unknown): string => (error as Error).message.split('\n').filter(Boolean).join(' ');

/** Renders the HAProxy config from the template's source. */
export function renderConfig(source: string, servers: readonly Server[]): string {
  try {
    return compiledTemplate(source)(templateContext(servers));
  } catch (error) {
    throw new TemplateError(`template does not render: ${oneLine(error)}`, { cause: error });
  }
}
