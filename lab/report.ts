import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The lab's tasks, grouped as its report grouped them. */
export const TASKS = {
  t1: 'Tasks 0 and 1: HAProxy and two backends, every process under a supervisor',
  t3: 'Tasks 2 and 3: membership by Serf, and the handlers reacting to it',
  t5: 'Tasks 4 and 5: haproxy.cfg rendered from a template whenever membership changes',
  t6: 'Task 6: HAProxy reloads on its own, seven backends start, three stop',
} as const;

export type TaskId = keyof typeof TASKS;

export interface ReportFile {
  /** Relative to the report's folder. */
  name: string;
  /** One line: what the file shows. */
  description: string;
}

/** One moment of the lab (ha alone, after s1 joined...) and the evidence taken then. */
export class ReportStep {
  readonly files: ReportFile[] = [];
  /** `serf members` as ha saw it at this step. */
  members: string | undefined;

  constructor(private readonly dir: string, readonly task: TaskId, readonly title: string) {}

  /** Where a file of this step goes, for writers that write it themselves (the browser). */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** Lists a file already written at path(name). */
  add(name: string, description: string): void {
    this.files.push({ name, description });
  }

  async write(name: string, description: string, content: string | Uint8Array): Promise<void> {
    await writeFile(this.path(name), content);
    this.add(name, description);
  }
}

/** Throws unless `dir` is absent, empty or an earlier report: the lab empties it, and must never empty anything else. */
export async function assertReplaceable(dir: string): Promise<void> {
  const present: string[] = await readdir(dir).catch(() => []);
  if (present.length > 0 && !present.includes('index.md')) {
    throw new Error(`Expected ${dir} to be absent, empty or an earlier lab report (with index.md), got ${present.length} other entries: not emptying it`);
  }
}

/** The folder the lab writes, emptied first so nothing of an earlier run stays. */
export class Report {
  readonly steps: ReportStep[] = [];

  private constructor(readonly dir: string) {}

  static async fresh(dir: string): Promise<Report> {
    await assertReplaceable(dir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    // Marks the folder as a report at once, so a run cut short can be replaced by the next one.
    await writeFile(join(dir, 'index.md'), '# AIT lab 04, replayed\n\nThe replay is under way, or was cut short: run `npm run lab` again.\n');
    return new Report(dir);
  }

  step(task: TaskId, title: string): ReportStep {
    const step = new ReportStep(this.dir, task, title);
    this.steps.push(step);
    return step;
  }
}
