// What each entry requires (bundle/handlers/start.cjs): the shared code,
// loaded through V8's code cache kept beside it.
import { join } from 'node:path';
import { requireWithCodeCache } from '../os/code-cache.ts';
import type * as RunEntry from './run-entry.ts';

// __dirname and require: this file ships as CommonJS, beside shared.cjs, so its
// require resolves what shared.cjs requires (built-ins, ./handlebars.cjs).
export const { main } = requireWithCodeCache(join(__dirname, 'shared.cjs'), require) as typeof RunEntry;
