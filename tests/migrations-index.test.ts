import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { SUBGRAPHS } from '../common/domain.js';
import type { MigrationInterface } from 'typeorm';
import { loadSubgraphDefinition } from '../subgraphs/index.js';

const root = path.resolve(import.meta.dirname, '..');

/** The migrations a folder holds, as TypeORM names them: the exported class or value ending in the file's timestamp. */
async function migrationFiles(name: string): Promise<string[]> {
  const files = (await readdir(path.join(root, 'migrations', name))).filter((f) => /^\d{13}-.+\.ts$/.test(f));
  return files.sort().map((file) => `${file.slice(14, -3)}${file.slice(0, 13)}`);
}

describe("each subgraph's migrations index", () => {
  for (const name of SUBGRAPHS) {
    it(`runs every migration of migrations/${name}/, in the order of their timestamps`, async () => {
      const { migrations } = await loadSubgraphDefinition(name);
      // TypeORM's name for a migration: its `name` property, else its class name.
      const listed = migrations.map((migration) => {
        const Migration = migration as new () => MigrationInterface;
        return new Migration().name ?? Migration.name;
      });
      assert.deepEqual(listed, [...(await migrationFiles(name))]);
    });
  }
});
