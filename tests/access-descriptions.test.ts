import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { Kind, parse } from 'graphql';
import {
  CATEGORY_OWNER,
  parseAgency,
  PURPOSE_ROLE,
  PURPOSES_BY_AGENCY,
  type Agency,
  type Category,
  type Purpose,
} from '../common/domain.js';
import { accessMatrix } from '../common/policy/access-rules.js';
import { loadAgencyList } from '../common/policy/agencies.js';
import { decide, type ConsentGrant } from '../common/policy/policy.js';
import { loadShippedCatalogue } from '../common/policy/statutes.js';
import { consentCategory } from '../common/subgraph/access-descriptions.js';

const root = path.resolve(import.meta.dirname, '..');
const catalogue = loadShippedCatalogue();
const agencies = loadAgencyList();

type Scope = 'own' | 'others';
/** What a description line claims for some agency kinds and purposes. */
interface Claim {
  basis: string;
  kinds: string[];
  scope: Scope | 'any';
  purposes: string[];
}

/** Reads `<kinds>[ (scope)] for <purposes>; …` as the descriptions write each basis's agencies. */
function readGrants(basis: string, text: string): Claim[] {
  return text.split('; ').map((segment) => {
    const match = /^([a-z, ]+?)( \(its own records\)| \(another agency's records\))? for ([A-Z_, ]+)$/.exec(segment);
    assert.ok(match, `unreadable grant "${segment}"`);
    const scope = !match[2] ? 'any' : match[2].includes('own') ? 'own' : 'others';
    return { basis, kinds: match[1].split(', '), scope, purposes: match[3].split(', ') };
  });
}

/** The claims of one generated description, or a complaint when a line is not one the generator writes. */
function readDescription(description: string, category: Category): Claim[] {
  const lines = description.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Who may see this field'));
  assert.ok(start >= 0, 'no access description');
  assert.ok(
    lines[start].includes(`(category ${category}, held by the ${CATEGORY_OWNER[category]} subgraph;`),
    `heading names another category or owner: ${lines[start]}`,
  );
  const claims: Claim[] = [];
  for (const line of lines.slice(start + 1).filter((l) => l.startsWith('- '))) {
    let m: RegExpExecArray | null;
    if ((m = /^- Own task: (.*)\.$/.exec(line))) claims.push(...readGrants('OWN_TASK', m[1]));
    else if ((m = /^- Statute (\S+) \((.*)\)(, this field alone)?: (.*)\.$/.exec(line))) {
      const entry = catalogue.entries.find((e) => e.id === m![1]);
      assert.ok(entry, `names statute ${m[1]}, not in the catalogue`);
      assert.equal(m[2], entry.reference, `statute ${entry.id}'s reference`);
      assert.equal(
        Boolean(m[3]),
        Boolean(entry.fields),
        `statute ${entry.id} says "this field alone" as it names fields`,
      );
      claims.push(...readGrants(`STATUTE:${entry.id}`, m[4]));
    } else if ((m = /^- Only with the person's consent naming the agency, the purpose and (\w+): (.*)\.$/.exec(line))) {
      assert.equal(m[1], category);
      claims.push(...readGrants('CONSENT', m[2]));
    } else if ((m = /^- Never, whatever the consent: (.*)\.$/.exec(line))) claims.push(...readGrants('NEVER', m[1]));
    else assert.fail(`unexpected line "${line}"`);
  }
  return claims;
}

/** What the policy does for one agency, purpose and record scope: its basis, CONSENT or NEVER. */
function policyAnswer(agency: Agency, purpose: Purpose, category: Category, scope: Scope, field: string): string {
  const now = new Date('2026-12-01T10:00:00Z');
  const ask = (consents: ConsentGrant[]) =>
    decide({
      caller: { agency, roles: [PURPOSE_ROLE[purpose]], purpose },
      category,
      field,
      inOwnScope: scope === 'own',
      consents,
      catalogue,
      now,
      timeZone: 'Europe/Berlin',
    });
  const without = ask([]);
  if (without.allowed) return without.basis;
  const covering: ConsentGrant = {
    ...{
      id: 'c',
      version: 1,
      personId: 'p',
      validFrom: '2026-01-01',
      validUntil: null,
      withdrawnAt: null,
      voidedAt: null,
    },
    ...{ recipients: [agency.id], purposes: [purpose], categories: [category] },
  };
  const withConsent = ask([covering]);
  return withConsent.allowed ? 'CONSENT' : 'NEVER';
}

/**
 * Every disagreement between the gated fields' descriptions in an SDL and the policy's decisions, for every
 * agency of the demo district, every purpose it may state, and (where the agency's kind owns the category
 * and several agencies share it) both its own records and another one's.
 */
function disagreements(sdl: string): string[] {
  const found: string[] = [];
  let gated = 0;
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const category = consentCategory(field.directives);
      if (!category) continue;
      gated++;
      const name = `${definition.name.value}.${field.name.value}`;
      let claims: Claim[];
      try {
        claims = readDescription(field.description?.value ?? '', category);
      } catch (error) {
        found.push(`${name}: ${(error as Error).message}`);
        continue;
      }
      for (const id of agencies.ids) {
        const agency = parseAgency(id)!;
        const sameKind = agencies.ids.filter((a) => parseAgency(a)!.kind === agency.kind).length;
        const scopes: Scope[] = CATEGORY_OWNER[category] === agency.kind && sameKind > 1 ? ['own', 'others'] : ['own'];
        for (const purpose of PURPOSES_BY_AGENCY[agency.kind]) {
          for (const scope of scopes) {
            const said = claims.filter(
              (c) =>
                c.kinds.includes(agency.kind) &&
                c.purposes.includes(purpose) &&
                (c.scope === 'any' || c.scope === scope),
            );
            const answer = policyAnswer(agency, purpose, category, scope, name);
            const where = `${name} for ${id} under ${purpose} (${scope} records)`;
            if (said.length !== 1)
              found.push(`${where}: the description says ${said.length} things, the policy ${answer}`);
            else if (said[0].basis !== answer)
              found.push(`${where}: the description says ${said[0].basis}, the policy ${answer}`);
          }
        }
      }
    }
  }
  if (gated === 0) found.push('no gated field in the schema');
  return found;
}

describe('the schema explains its own access rules', () => {
  it('describes every gated field of the supergraph as the policy decides, for every agency and purpose of the demo district', async () => {
    const supergraph = await readFile(path.join(root, 'schema', 'supergraph.graphql'), 'utf8');
    assert.deepEqual(disagreements(supergraph), []);
    // A field's own words stay in front of the generated part.
    assert.match(supergraph, /  Where the person lives now\.\n *\n  Who may see this field \(category HOUSING/);
  });

  it('describes the gated fields of every subgraph schema alike', async () => {
    for (const name of ['county', 'municipality', 'jobcenter', 'socialcare']) {
      const sdl = await readFile(path.join(root, 'schema', `${name}.graphql`), 'utf8');
      assert.deepEqual(disagreements(sdl), [], name);
    }
  });

  it('notices a description that grants what the policy does not', async () => {
    const supergraph = await readFile(path.join(root, 'schema', 'supergraph.graphql'), 'utf8');
    // The jobcenter moved from consent to own task for HOUSING, and a statute's purpose widened.
    const tampered = supergraph
      .replace(
        /- Own task: municipality \(its own records\) for /,
        '- Own task: jobcenter for JOB_PLACEMENT; municipality (its own records) for ',
      )
      .replace('municipality for HOUSING_ALLOCATION.', 'municipality for HOUSING_ALLOCATION, CASE_CONFERENCE.');
    const found = disagreements(tampered);
    assert.ok(
      found.some((d) => /Person\.housing for jobcenter under JOB_PLACEMENT .*2 things/.test(d)),
      found.join('\n'),
    );
    assert.ok(
      found.some((d) => /for municipality:08999001 under CASE_CONFERENCE .*2 things/.test(d)),
      found.join('\n'),
    );
  });

  it('keeps docs/access-matrix.md as the policy gives it (run `npm run compose` when this fails)', async () => {
    const written = await readFile(path.join(root, 'docs', 'access-matrix.md'), 'utf8');
    assert.equal(written, accessMatrix({ catalogue, agencies }));
  });
});
