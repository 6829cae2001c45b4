import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { writeClusterSecrets } from '../../scripts/k8s-secrets.js';

/** A rendered Kubernetes object: shapes are checked by the assertions that read it. */
export type Json = Record<string, any>;

export const ROOT = path.resolve(import.meta.dirname, '../..');

export const KUBECTL_MISSING =
  'kubectl is needed to render deploy/k8s (kubectl kustomize) and to read YAML: install it, e.g. ' +
  '`apt-get install -y kubectl` from the Kubernetes apt repository (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/), ' +
  'or put a kubectl binary on PATH';

/** Runs kubectl with `input` on stdin; its stdout, or a rejection with its stderr. */
export function kubectl(args: string[], input?: string, cwd = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(KUBECTL_MISSING) : error),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`kubectl ${args.join(' ')}: ${Buffer.concat(err).toString('utf8')}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** The documents of a YAML stream as JSON. */
export function parseYamlStream(text: string): Json[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Json | null)
    .filter((value): value is Json => value !== null);
}

/** What an operator applies: the rendered objects and the text kubectl printed. */
export interface RenderedCluster {
  yaml: string;
  objects: Json[];
}

/**
 * Renders `deploy/k8s` as an operator would after `npm run k8s:secrets`: a copy of the folder, its secrets/
 * written by the script (random passwords, new keys, a development CA), then `kubectl kustomize`. The copy is
 * removed; the repository's own deploy/k8s/secrets/ (git-ignored) is neither read nor written. `components`
 * are added to the kustomization's `components` (paths relative to deploy/k8s), as an operator enables them.
 */
export async function renderCluster(options: { components?: string[] } = {}): Promise<RenderedCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-k8s-'));
  try {
    const k8s = path.join(dir, 'deploy/k8s');
    cpSync(path.join(ROOT, 'deploy/k8s'), k8s, {
      recursive: true,
      filter: (source) => !source.startsWith(path.join(ROOT, 'deploy/k8s/secrets')),
    });
    writeClusterSecrets(path.join(k8s, 'secrets'));
    let target = k8s;
    if (options.components?.length) {
      // An overlay of the operator's: the base plus the components, as docs/operating.md shows it.
      target = path.join(dir, 'overlay');
      mkdirSync(target);
      const components = options.components.map((c) => `../deploy/k8s/${c}`).join(', ');
      writeFileSync(
        path.join(target, 'kustomization.yaml'),
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../deploy/k8s]\ncomponents: [${components}]\n`,
      );
    }
    const yaml = await kubectl(['kustomize', target]);
    return { yaml, objects: parseYamlStream(yaml) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
