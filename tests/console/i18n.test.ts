/**
 * The console speaks German first: every text the console's code writes in English (`t('…')`, `text('…')`) has
 * its German text in console/src/i18n/de.json (`ui`), with the same placeholders, and the German table holds
 * nothing the code no longer says.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { CASE_PURPOSES, CATEGORIES, PURPOSES } from '../../common/domain.js';

const SRC = path.resolve(import.meta.dirname, '../../console/src');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'gql') out.push(...(await sources(full)));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

async function englishTexts(): Promise<Set<string>> {
  const texts = new Set<string>();
  for (const file of await sources(SRC)) {
    const code = await readFile(file, 'utf8');
    for (const m of code.matchAll(/\b(?:t|ui|text)\(\s*'((?:[^'\\]|\\.)*)'/g)) texts.add(m[1].replace(/\\'/g, "'"));
  }
  return texts;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console texts', () => {
  it('has a German text for every English text of the console, with the same placeholders, and none left over', async () => {
    const de = JSON.parse(await readFile(path.join(SRC, 'i18n/de.json'), 'utf8')) as { ui: Record<string, string> };
    const texts = await englishTexts();
    assert.ok(texts.size > 150, `found ${texts.size} texts`);
    const missing = [...texts].filter((k) => !(k in de.ui));
    assert.deepEqual(missing, [], 'English texts without German');
    for (const k of texts) assert.deepEqual(placeholders(de.ui[k]), placeholders(k), `placeholders of "${k}"`);
    assert.deepEqual(
      Object.keys(de.ui).filter((k) => !texts.has(k)),
      [],
      'German texts no code uses',
    );
  });

  it('names every purpose and category in plain words in German and English, and phrases every case purpose', async () => {
    for (const language of ['de', 'en']) {
      const table = JSON.parse(await readFile(path.join(SRC, `i18n/${language}.json`), 'utf8')) as Record<
        string,
        Record<string, string>
      >;
      for (const p of PURPOSES) assert.ok(table.purposes[p] && table.purposes[p] !== p, `${language}: purpose ${p}`);
      for (const p of CASE_PURPOSES) assert.ok(table.purposePhrases[p], `${language}: phrase for ${p}`);
      for (const c of CATEGORIES)
        assert.ok(table.categoryNames[c] && table.categoryNames[c] !== c, `${language}: ${c}`);
    }
  });

  it('names every gated field of the composed schema in plain words', async () => {
    const supergraph = await readFile(path.resolve(SRC, '../../schema/supergraph.graphql'), 'utf8');
    const fields: string[] = [];
    let type = '';
    for (const line of supergraph.split('\n')) {
      const start = /^(?:type|interface) (\w+)/.exec(line);
      if (start) type = start[1];
      const field = /^\s+(\w+)(?:\(.*\))?:.*@consent\(/.exec(line);
      if (field) fields.push(`${type}.${field[1]}`);
    }
    assert.ok(fields.length > 10, fields.join(', '));
    for (const language of ['de', 'en']) {
      const table = JSON.parse(await readFile(path.join(SRC, `i18n/${language}.json`), 'utf8')) as {
        fieldNames: Record<string, string>;
      };
      assert.deepEqual(
        fields.filter((f) => !table.fieldNames[f]),
        [],
        `${language}: gated fields without a plain name`,
      );
    }
  });
});
