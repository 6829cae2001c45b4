import path from 'node:path';
import madge from 'madge';

/**
 * Fails (exit 1) when imports go round in a circle, between files or between the project's top-level
 * folders (`common/`, `subgraphs/`, `seed/`, `migrations/`, `scripts/`, `gateway/`, `bench/`, `console/`):
 * layers stack one way, so a folder never needs one that needs it. Run by `npm run lint`. Tests are
 * left out: they may reach into any folder.
 */
const root = path.resolve(import.meta.dirname, '..');
const result = await madge(root, {
  baseDir: root,
  fileExtensions: ['ts', 'tsx'],
  excludeRegExp: [/node_modules/, /^dist\//, /^tests\//, /\.test\.tsx?$/, /\.d\.ts$/],
  tsConfig: path.join(root, 'tsconfig.json'),
});

const problems: string[] = result.circular().map((files) => `files: ${[...files, files[0]].join(' → ')}`);

// Folder level: an edge A → B wherever a file under A imports one under B; a cycle is a strongly connected set.
const folderOf = (file: string) => file.split('/')[0];
const edges = new Map<string, Map<string, string>>();
for (const [file, imports] of Object.entries(result.obj())) {
  for (const imported of imports) {
    const from = folderOf(file);
    const to = folderOf(imported);
    if (from === to || !file.includes('/') || !imported.includes('/')) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${file} → ${imported}`);
  }
}
const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
  if (from === to) return true;
  seen.add(from);
  return [...(edges.get(from)?.keys() ?? [])].some((next) => !seen.has(next) && reaches(next, to, seen));
};
for (const [from, targets] of edges) {
  for (const [to, example] of targets) {
    if (reaches(to, from))
      problems.push(`folders: ${from}/ → ${to}/ (e.g. ${example}), and ${to}/ leads back to ${from}/`);
  }
}

if (problems.length) {
  console.error(`Import cycles:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
