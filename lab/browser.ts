// The real headless browser behind the lab's screenshots: Debian's chromium
// package (scripts/browser.sh installs it), driven by its own command-line
// flags, one fresh profile per run.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pngSize, type PngSize } from './png.ts';

export const CHROMIUM = '/usr/bin/chromium';

// Headless as root needs --no-sandbox. The rest keep Chromium off the network
// but for the page: without them it calls Google's services, which this
// closed network refuses, and it retries many times.
const HEADLESS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no headless browser at ${CHROMIUM}: run 'bash scripts/browser.sh' (installs Debian's chromium package)`);
  }
}

/**
 * One Chromium run on `url`; resolves to what it printed on stdout. `home`:
 * the HOME it runs with, whose .pki/nssdb is the certificate database it
 * trusts (Chromium on Linux reads no other; the HTTPS test puts a CA there).
 */
async function chromium(args: readonly string[], url: string, timeoutMs: number, home?: string): Promise<string> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'lab-chromium-'));
  try {
    return await new Promise((resolve, reject) => {
      const argv = [...HEADLESS, `--user-data-dir=${profile}`, ...args, url];
      const env = home === undefined ? process.env : { ...process.env, HOME: home };
      execFile(CHROMIUM, argv, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) => {
        if (!error) return resolve(String(stdout));
        const tail = String(stderr).trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`chromium ${args.join(' ')} ${url} failed: ${error.message.split('\n')[0]} (${tail})`, { cause: error }));
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** A PNG of the page as a browser window of `size` shows it; resolves to the image's size as read back from the file. */
export async function screenshot(url: string, file: string, size: PngSize, timeoutMs = 60_000, home?: string): Promise<PngSize> {
  await chromium([`--screenshot=${file}`, `--window-size=${size.width},${size.height}`], url, timeoutMs, home);
  return pngSize(await readFile(file));
}

/** The page's DOM once loaded, as the browser serialises it. */
export function dumpDom(url: string, timeoutMs = 60_000, home?: string): Promise<string> {
  return chromium(['--dump-dom'], url, timeoutMs, home);
}
