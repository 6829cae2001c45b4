import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { ROOT } from '../support/kustomize.js';

/**
 * The image's base where it is named: every `FROM node:<major>-…` of the Dockerfile is a Node.js LTS line that the
 * Node.js project still supports, by its published release schedule (deploy/node-release-schedule.json, a copy of
 * nodejs/Release's schedule.json), with half a year to go, so that the move to the next line is planned, not forced.
 * The tests themselves run on this machine's Node (see docs/deployment.md): the image's Node is not exercised here.
 */
interface ReleaseLine {
  start: string;
  lts?: string;
  maintenance?: string;
  end: string;
  codename?: string;
}
const schedule = JSON.parse(readFileSync(path.join(ROOT, 'deploy/node-release-schedule.json'), 'utf8')) as Record<
  string,
  ReleaseLine
>;
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const HALF_A_YEAR_MS = 183 * 86_400_000;

/** The Node images the Dockerfile builds from: `FROM node:<major>-<variant> [AS stage]`. */
function nodeBases(text: string): { major: number; variant: string; stage: string }[] {
  return [...text.matchAll(/^FROM\s+node:(\d+)(?:-([\w.-]+))?(?:\s+AS\s+(\S+))?\s*$/gim)].map((m) => ({
    major: Number(m[1]),
    variant: m[2] ?? '',
    stage: m[3] ?? '',
  }));
}

/** Why a Node line is not fit as a base on `today`, or undefined when it is. */
function unfit(major: number, today: Date): string | undefined {
  const line = schedule[`v${major}`];
  if (!line) return `Node ${major} is not in the release schedule`;
  if (!line.lts) return `Node ${major} is not an LTS line (odd lines never are)`;
  if (Date.parse(line.lts) > today.getTime()) return `Node ${major} is not LTS yet (from ${line.lts})`;
  const end = Date.parse(line.end);
  if (end <= today.getTime()) return `Node ${major} reached its end of life on ${line.end}`;
  if (end - today.getTime() < HALF_A_YEAR_MS) return `Node ${major} ends on ${line.end}, in less than half a year`;
  return undefined;
}

describe('the base image', () => {
  it('every stage builds on the same Node.js LTS line, in support for at least another half year', () => {
    const bases = nodeBases(dockerfile);
    assert.deepEqual(
      bases.map((b) => b.stage),
      ['build', 'runtime'],
    );
    assert.equal(new Set(bases.map((b) => `${b.major}-${b.variant}`)).size, 1, 'build and runtime on one base');
    // A slim Debian variant, as the runtime stage's `npm ci` and the entry point (sh) expect.
    assert.match(bases[0].variant, /^(bookworm|trixie)-slim$/);
    const today = new Date();
    for (const base of bases)
      assert.equal(unfit(base.major, today), undefined, `FROM node:${base.major} (${base.stage})`);
    // package.json's engines admit it.
    const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    const minimum = /^>=(\d+)/.exec(engines);
    assert.ok(minimum && Number(minimum[1]) <= bases[0].major, `engines ${engines} admit Node ${bases[0].major}`);
  });

  it('the check refuses what issue #24 found and what must never be a base', () => {
    const today = new Date('2026-12-06T12:00:00Z');
    assert.match(unfit(20, today)!, /end of life on 2026-04-30/);
    assert.match(unfit(22, today)!, /less than half a year/);
    assert.match(unfit(25, today)!, /not an LTS line/);
    assert.equal(unfit(24, today), undefined);
    assert.match(unfit(24, new Date('2027-12-01T00:00:00Z'))!, /less than half a year/);
    assert.deepEqual(nodeBases('FROM node:20-bookworm-slim AS build\nFROM node:24-bookworm-slim AS runtime\n'), [
      { major: 20, variant: 'bookworm-slim', stage: 'build' },
      { major: 24, variant: 'bookworm-slim', stage: 'runtime' },
    ]);
  });
});
