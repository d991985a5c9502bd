import type HandlebarsApi from 'handlebars';
import runtimeOnly from 'handlebars/runtime.js';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../os/atomic-write.ts';
import { templateTags } from '../members/tags.ts';
import { type Server, byName } from '../pool/server.ts';

// handlebars/runtime's own types declare nothing; it is the full API without the compiler.
const Runtime = runtimeOnly as unknown as Pick<typeof HandlebarsApi, 'create' | 'template'>;

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
 * No HTML escaping (this is not HTML, and every value was validated), and
 * strict mode, so a misspelt field is an error instead of an empty string in
 * the config.
 */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

interface CachedSpec {
  source: string;
  spec: string;
}

function readCache(cacheFile: string | undefined): CachedSpec | undefined {
  if (cacheFile === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedSpec;
  } catch {
    return undefined;
  }
}

/**
 * The template as Handlebars' precompiled spec (JavaScript source). The
 * compiler is four times the size of the runtime and loading it cost a run
 * about 20 ms here, so it is imported only when `cacheFile` does not hold a
 * spec of this very source, and its spec is kept there for the next runs.
 */
async function templateSpec(source: string, cacheFile: string | undefined): Promise<string> {
  const cached = readCache(cacheFile);
  if (cached?.source === source && typeof cached.spec === 'string') return cached.spec;
  const { default: Handlebars } = await import('handlebars');
  const spec = String(Handlebars.precompile(source, COMPILE_OPTIONS));
  // Only a cache: where it cannot be written (no such folder), the next run compiles again.
  if (cacheFile !== undefined) await writeFileAtomic(cacheFile, JSON.stringify({ source, spec })).catch(() => {});
  return spec;
}

type Template = (context: TemplateContext) => string;

/** The last template this process compiled: the long-running reconcile renders the same one run after run. */
let lastCompiled: { source: string; cacheFile: string | undefined; template: Template } | undefined;

async function compiledTemplate(source: string, cacheFile: string | undefined): Promise<Template> {
  if (lastCompiled?.source === source && lastCompiled.cacheFile === cacheFile) return lastCompiled.template;
  const spec = await templateSpec(source, cacheFile);
  // The spec is code Handlebars wrote from a template only root can change, kept where only root can write.
  const template: Template = Runtime.create().template(new Function(`return ${spec}`)() as Parameters<typeof Runtime.template>[0]);
  lastCompiled = { source, cacheFile, template };
  return template;
}

const oneLine = (error: unknown): string => (error as Error).message.split('\n').filter(Boolean).join(' ');

/**
 * Renders the HAProxy config from the template's source. `cacheFile` keeps
 * the compiled template between runs (a dry run passes none: it writes
 * nothing).
 */
export async function renderConfig(source: string, servers: readonly Server[], cacheFile?: string): Promise<string> {
  try {
    return (await compiledTemplate(source, cacheFile))(templateContext(servers));
  } catch (error) {
    throw new TemplateError(`template does not render: ${oneLine(error)}`, { cause: error });
  }
}
