/**
 * Reads the project's Markdown (README.md, docs/, examples/) for tests/docs.test.ts: the relative links and
 * their anchors, the `npm run` names, and the shell blocks marked `sh runnable`. Pure functions over text, so a
 * test can plant a broken link or a wrong command and see it found.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One Markdown file, by its path relative to the repository root. */
export interface MarkdownFile {
  file: string;
  text: string;
}

/** A finding, naming the file and what is wrong. */
export interface DocsProblem {
  file: string;
  problem: string;
}

/** A shell block the docs mark as runnable (```sh runnable), with the lines it expects in its output. */
export interface RunnableBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  script: string;
  /** From `# expect: …` lines: each must appear in the block's output. */
  expects: string[];
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'data', '.git', '.bench-data', '.bench-build', '.smoke']);

/** README.md, every Markdown file under docs/, and the README of every example. */
export function projectMarkdown(root: string): MarkdownFile[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    if (!existsSync(path.join(root, dir))) return;
    for (const entry of readdirSync(path.join(root, dir))) {
      if (SKIPPED_FOLDERS.has(entry)) continue;
      const relative = path.join(dir, entry);
      if (statSync(path.join(root, relative)).isDirectory()) walk(relative);
      else if (entry.endsWith('.md')) files.push(relative);
    }
  };
  walk('docs');
  walk('examples');
  return files.map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
}

/** The text outside fenced code blocks (links inside code are examples, not links). */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) anchors.add(headingAnchor(match[1]));
  return anchors;
}

/** Every relative link or image of a file whose target (or heading anchor) does not exist. */
export function brokenLinks(root: string, doc: MarkdownFile, read = readMarkdown): DocsProblem[] {
  const problems: DocsProblem[] = [];
  for (const match of prose(doc.text).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [file, anchor] = target.split('#', 2);
    const resolved = file ? path.join(path.dirname(doc.file), decodeURIComponent(file)) : doc.file;
    if (!existsSync(path.join(root, resolved))) {
      problems.push({ file: doc.file, problem: `link to ${target}: ${resolved} does not exist` });
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchorsOf(read(root, resolved)).has(anchor))
      problems.push({ file: doc.file, problem: `link to ${target}: ${resolved} has no heading #${anchor}` });
  }
  return problems;
}

function readMarkdown(root: string, file: string): string {
  return readFileSync(path.join(root, file), 'utf8');
}

/** Every `npm run <name>` (code included) whose name is not a script of package.json. */
export function unknownNpmScripts(doc: MarkdownFile, scripts: Record<string, string>): DocsProblem[] {
  const problems: DocsProblem[] = [];
  for (const match of doc.text.matchAll(/npm run(?:\s+(?:-s|--silent))?\s+([a-z][\w:.-]*)/g)) {
    if (!(match[1] in scripts)) problems.push({ file: doc.file, problem: `npm run ${match[1]}: no such script` });
  }
  return problems;
}

/** The blocks fenced as ```sh runnable (or bash runnable). */
export function runnableBlocks(doc: MarkdownFile): RunnableBlock[] {
  const blocks: RunnableBlock[] = [];
  const lines = doc.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash) runnable\s*$/.test(lines[i])) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    blocks.push({
      file: doc.file,
      line: start + 1,
      script: body.join('\n'),
      expects: body.flatMap((l) => /^#\s*expect:\s*(.+)$/.exec(l)?.[1].trim() ?? []),
    });
  }
  return blocks;
}
