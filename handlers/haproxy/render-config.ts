import Handlebars from 'handlebars';
import { templateTags } from '../members/tags.ts';
import { type Server, byName } from '../pool/server.ts';
import { planServices, type Service } from '../pool/services.ts';
import { hostportOf } from './server-lines.ts';

export class TemplateError extends Error {}

/** What the template sees for each server; `hostport` is ready for a `server` line, `tags` only those safe to print. */
export interface ServerView extends Server {
  hostport: string;
}

/** One service: one HAProxy backend, named after it. */
export interface ServiceView {
  name: string;
  servers: ServerView[];
  health: string;
  count: number;
}

export interface TemplateContext {
  /** Every server, whatever its service. */
  servers: ServerView[];
  count: number;
  services: ServiceView[];
  routesMap: string;
  /** Where a request no route matches goes; '' for a 404. */
  defaultService: string;
}

/** The services a template renders, the routes map it names and the default service. */
export interface Routing {
  services: readonly Service[];
  routesMap: string;
  defaultService: string | undefined;
}

const view = (b: Server): ServerView => ({ ...b, hostport: hostportOf(b), tags: templateTags(b.tags).shown });

/** Where a config rendered without a plan names its routes map: the ha image's, beside its config. */
export const DEFAULT_ROUTES_MAP = '/usr/local/etc/haproxy/routes.map';

/** Without a plan, every server's service, `webapps` the default: what one service renders. */
function routingOf(servers: readonly Server[]): Routing {
  const { services } = planServices(servers, 'webapps', { backends: new Map(), routes: new Map() }, false);
  return { services, routesMap: DEFAULT_ROUTES_MAP, defaultService: 'webapps' };
}

/** Sorted here too, so the same set renders the same bytes whoever calls. */
export function templateContext(servers: readonly Server[], routing: Routing = routingOf(servers)): TemplateContext {
  return {
    servers: [...servers].sort(byName).map(view),
    count: servers.length,
    services: routing.services.map((s) => ({ name: s.name, servers: s.servers.map(view), health: s.health, count: s.servers.length })),
    routesMap: routing.routesMap,
    defaultService: routing.defaultService ?? '',
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
export function renderConfig(source: string, servers: readonly Server[], routing?: Routing): string {
  try {
    return compiledTemplate(source)(templateContext(servers, routing));
  } catch (error) {
    throw new TemplateError(`template does not render: ${oneLine(error)}`, { cause: error });
  }
}
