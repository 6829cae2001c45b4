import path from 'node:path';
import madge from 'madge';

/**
 * Fails (exit 1) when imports go round in a circle: between files, between the project's top-level folders
 * (`common/`, `subgraphs/`, `seed/`, `migrations/`, `scripts/`, `gateway/`, `bench/`, `console/`), and
 * between the folders and files inside `common/` at every depth (`common/access/`, `common/http.ts`,
 * `common/audit/log/`, …): layers stack one way, so a folder never needs one that needs it. Run by
 * `npm run lint`. Tests are left out: they may reach into any folder.
 */
const root = path.resolve(import.meta.dirname, '..');
const result = await madge(root, {
  baseDir: root,
  fileExtensions: ['ts', 'tsx'],
  excludeRegExp: [/node_modules/, /^dist\//, /^tests\//, /\.test\.tsx?$/, /\.d\.ts$/],
  tsConfig: path.join(root, 'tsconfig.json'),
});

const problems: string[] = result.circular().map((files) => `files: ${[...files, files[0]].join(' → ')}`);

// Folder level: where a file imports another, the two meet in their nearest common folder; there an edge runs
// between the two entries of that folder (a sub-folder, or a file standing in it) that hold them. A cycle of
// such edges is a strongly connected set. Checked among the top-level folders and inside common/ at every
// depth (common/access/ → common/subgraph/ → common/access/ is a cycle, as common/audit/log/ ↔ proofs/ is).
const checkedInside = (folder: string) => folder === '' || folder === 'common' || folder.startsWith('common/');
const edges = new Map<string, Map<string, string>>();
for (const [file, imports] of Object.entries(result.obj())) {
  for (const imported of imports) {
    const a = file.split('/');
    const b = imported.split('/');
    let depth = 0;
    while (depth < a.length - 1 && depth < b.length - 1 && a[depth] === b[depth]) depth++;
    const folder = a.slice(0, depth).join('/');
    // At the top, files beside the folders (eslint.config.js) are no layer of their own.
    if (!checkedInside(folder) || (folder === '' && (a.length === 1 || b.length === 1))) continue;
    const from = a.slice(0, depth + 1).join('/');
    const to = b.slice(0, depth + 1).join('/');
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${file} → ${imported}`);
  }
}
const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
  if (from === to) return true;
  seen.add(from);
  return [...(edges.get(from)?.keys() ?? [])].some((next) => !seen.has(next) && reaches(next, to, seen));
};
const shown = (entry: string) => (entry.endsWith('.ts') || entry.endsWith('.tsx') ? entry : `${entry}/`);
for (const [from, targets] of edges) {
  for (const [to, example] of targets) {
    if (reaches(to, from))
      problems.push(
        `folders: ${shown(from)} → ${shown(to)} (e.g. ${example}), and ${shown(to)} leads back to ${shown(from)}`,
      );
  }
}

if (problems.length) {
  console.error(`Import cycles:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
