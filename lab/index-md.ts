import { TASKS, type TaskId } from './report.ts';

export interface IndexStep {
  task: TaskId;
  title: string;
  files: ReadonlyArray<{ name: string; description: string }>;
  members: string | undefined;
}

/**
 * index.md of the report: under each task of the lab, its steps in the order
 * they ran, every file linked with one line saying what it shows, and
 * `serf members` as ha saw it at that step.
 */
export function indexMarkdown(intro: readonly string[], steps: readonly IndexStep[]): string {
  const lines = ['# AIT lab 04, replayed', '', ...intro, ''];
  for (const [task, heading] of Object.entries(TASKS) as Array<[TaskId, string]>) {
    const ofTask = steps.filter((s) => s.task === task);
    if (ofTask.length === 0) continue;
    lines.push(`## ${heading}`, '');
    for (const step of ofTask) {
      lines.push(`### ${step.title}`, '');
      for (const file of step.files) lines.push(`- [${file.name}](${encodeURI(file.name)}): ${file.description}`);
      if (step.files.length > 0) lines.push('');
      if (step.members !== undefined) lines.push('`serf members` in ha:', '', '```text', step.members.trimEnd(), '```', '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The targets of the Markdown links in `markdown`, in order. */
export function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => decodeURI(m[1]!));
}
