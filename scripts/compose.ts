/**
 * `npm run compose`: writes each subgraph's SDL and the composed supergraph to `schema/`, every gated field
 * described from the policy, and the access matrix the same policy gives to `docs/access-matrix.md`.
 */
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigOrExit } from '../common/config.js';
import { accessMatrix } from '../common/policy/access-rules.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';
import { composeSupergraph } from '../subgraphs/compose.js';

const config = loadConfigOrExit();
const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'schema');
// The catalogue every subgraph decides with, and the district's agencies (AGENCIES_FILE).
const policy = { catalogue: loadShippedCatalogue(), agencies: config.agencies };
const { subgraphs, supergraph } = await composeSupergraph(config.subgraphUrls, policy);
await mkdir(dir, { recursive: true });
for (const [name, sdl] of Object.entries(subgraphs)) await writeFile(path.join(dir, `${name}.graphql`), sdl);
await writeFile(path.join(dir, 'supergraph.graphql'), supergraph);
await mkdir(path.join(root, 'docs'), { recursive: true });
await writeFile(path.join(root, 'docs', 'access-matrix.md'), accessMatrix(policy));
console.log(
  `Wrote schema/supergraph.graphql, ${Object.keys(subgraphs).length} subgraph schemas and docs/access-matrix.md`,
);
