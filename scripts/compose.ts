/** `npm run compose`: writes each subgraph's SDL and the composed supergraph to `schema/`. */
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigOrExit } from '../common/config.js';
import { composeSupergraph } from '../subgraphs/compose.js';

const config = loadConfigOrExit();
const dir = path.resolve(import.meta.dirname, '..', 'schema');
const { subgraphs, supergraph } = await composeSupergraph(config.subgraphUrls);
await mkdir(dir, { recursive: true });
for (const [name, sdl] of Object.entries(subgraphs)) await writeFile(path.join(dir, `${name}.graphql`), sdl);
await writeFile(path.join(dir, 'supergraph.graphql'), supergraph);
console.log(`Wrote schema/supergraph.graphql and ${Object.keys(subgraphs).length} subgraph schemas`);
