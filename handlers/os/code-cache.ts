import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * What became of the code cache in a load: `used` (nothing compiled that the
 * cache held), `missing` (none, or none made from this very source) or
 * `rejected` (V8 refused it: another Node or other flags).
 */
export type CodeCacheUse = 'used' | 'missing' | 'rejected';

export interface CachedLoad {
  exports: unknown;
  cache: CodeCacheUse;
  /** Writes the cache of everything compiled so far; false where it cannot (a read-only folder). */
  save: () => boolean;
}

// The cache file: this header, the source's length and V8's bytes' length
// (4 bytes each), the source it was made from, then V8's bytes twice.
const MAGIC = 'serf-haproxy-autoscale code cache 3\n';

// Module.wrap's own wrapper, written out: loading node:module costs a run about 2 ms.
const wrap = (source: string): string => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/**
 * V8 checks a cache against its own version, flags and length, but only
 * against the source's length, and its release builds skip the checksum of
 * its bytes (measured: one byte flipped in them, and Node dies of SIGSEGV).
 * A rebuilt bundle of the same length would run the old code. So the cache
 * holds the whole source it was made from, and is used only when that is
 * byte for byte the source being loaded; and V8's bytes twice, used only
 * when both copies are equal: two native compares of a few hundred kB,
 * where a checksum would load node:crypto (about 3 ms) or loop in cold code.
 */
function cachedDataFor(source: Buffer, cacheFile: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const head = MAGIC.length + 8;
  if (file.length < head || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const sourceLength = file.readUInt32LE(MAGIC.length);
  const dataLength = file.readUInt32LE(MAGIC.length + 4);
  if (sourceLength !== source.length || file.length !== head + sourceLength + 2 * dataLength) return undefined;
  if (!file.subarray(head, head + sourceLength).equals(source)) return undefined;
  const data = file.subarray(head + sourceLength, head + sourceLength + dataLength);
  return data.equals(file.subarray(head + sourceLength + dataLength)) ? data : undefined;
}

/** Written whole and synced before the rename, so a crash leaves the old cache or the new one, never part of one. */
function writeSynced(path: string, data: Buffer): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a CommonJS file as require() would, `require` being the one its
 * code gets (the caller's own, from the same folder), compiled from V8's code cache
 * kept beside it (`<file>.cache`). Node 20 keeps no compile cache of its own
 * (module.enableCompileCache is Node 22), and each handler run is a fresh
 * process that compiled the shared code, Handlebars' runtime included, anew.
 * A cache V8 rejects (another Node, other flags), one made from other source,
 * a torn or foreign file: all are ignored, the code compiles as without one,
 * and `save` replaces the file (temp file, then rename: readers never see half
 * of one). Only root writes the handlers' folder, as it writes the code.
 */
export function loadWithCodeCache(file: string, require: NodeJS.Require): CachedLoad {
  const source = readFileSync(file);
  const cacheFile = `${file}.cache`;
  const cachedData = cachedDataFor(source, cacheFile);
  const script = new Script(wrap(source.toString('utf8')), { filename: file, cachedData });
  const cache: CodeCacheUse = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, require, module, file, dirname(file));
  const save = (): boolean => {
    const data = script.createCachedData();
    const lengths = Buffer.alloc(8);
    lengths.writeUInt32LE(source.length, 0);
    lengths.writeUInt32LE(data.length, 4);
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeSynced(temp, Buffer.concat([Buffer.from(MAGIC, 'latin1'), lengths, source, data, data]));
      renameSync(temp, cacheFile);
      return true;
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // Never written: nothing to remove.
      }
      return false;
    }
  };
  return { exports: module.exports, cache, save };
}

/**
 * loadWithCodeCache for a process: a run without a usable cache writes one
 * as it exits, with every function the run compiled.
 */
export function requireWithCodeCache(file: string, require: NodeJS.Require): unknown {
  const loaded = loadWithCodeCache(file, require);
  if (loaded.cache !== 'used') process.once('exit', loaded.save);
  return loaded.exports;
}
