import { dockerOk } from '../../../harness/docker/docker.ts';

const UNITS: Record<string, number> = {
  B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9,
};

/** Container name → memory in use, in bytes, from one `docker stats --no-stream`. */
export async function containerMemory(names: readonly string[]): Promise<Record<string, number>> {
  const out = await dockerOk(['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...names]);
  const memory: Record<string, number> = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const [name, usage] = line.split('\t');
    memory[name!] = parseMemUsage(usage ?? '');
  }
  return memory;
}

/** "45.3MiB / 23.47GiB" → bytes of the first figure; throws on anything else. */
export function parseMemUsage(usage: string): number {
  const match = /^\s*([\d.]+)\s*([A-Za-z]+)/.exec(usage);
  const unit = match ? UNITS[match[2]!] : undefined;
  if (!match || unit === undefined) throw new Error(`Expected docker stats MemUsage like "45.3MiB / 23.47GiB", got \`${usage}\``);
  return Number(match[1]) * unit;
}
