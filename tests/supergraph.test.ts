import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { loadConfig } from '../common/config.js';
import { composeSupergraph } from '../subgraphs/compose.js';

describe('schema/', () => {
  it('holds the supergraph composed from the current subgraphs (run `npm run compose` when this fails)', async () => {
    const { supergraph, subgraphs } = await composeSupergraph(loadConfig({}).subgraphUrls);
    const dir = path.resolve(import.meta.dirname, '..', 'schema');
    assert.equal(await readFile(path.join(dir, 'supergraph.graphql'), 'utf8'), supergraph);
    for (const [name, sdl] of Object.entries(subgraphs)) {
      assert.equal(await readFile(path.join(dir, `${name}.graphql`), 'utf8'), sdl, `${name}.graphql is stale`);
    }
  });

  it('shows each personal field with its data category', async () => {
    const supergraph = await readFile(path.resolve(import.meta.dirname, '..', 'schema', 'supergraph.graphql'), 'utf8');
    for (const [field, category] of [
      ['givenName', 'IDENTITY'],
      ['housing', 'HOUSING'],
      ['employment', 'EMPLOYMENT'],
      ['socialCare', 'SOCIAL_CARE'],
      ['specialNeeds', 'HEALTH'],
    ]) {
      assert.match(supergraph, new RegExp(`\\b${field}\\b[^\\n]*@consent\\(category: "${category}"\\)`), field);
    }
  });
});
