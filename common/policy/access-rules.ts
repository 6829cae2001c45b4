import {
  CATEGORIES,
  CATEGORY_OWNER,
  parseAgency,
  PURPOSE_ROLE,
  PURPOSES_BY_AGENCY,
  type AgencyKind,
  type Category,
  type Purpose,
} from '../domain.js';
import type { AgencyList } from './agencies.js';
import { decide, policyVersion, type ConsentGrant } from './policy.js';
import type { StatuteCatalogue } from './statutes.js';

/** The policy data every subgraph decides with: the statute catalogue and the district's agencies. */
export interface PolicyData {
  catalogue: StatuteCatalogue;
  agencies: AgencyList;
}

/** Whose records of a category a caller asks for: its own, or those another agency of its kind holds. */
export type RecordScope = 'own' | 'others';

/** What the policy answers one caseworker, officer or analyst of an agency kind stating one purpose. */
export type AccessBasis =
  | { kind: 'OWN_TASK' }
  | { kind: 'STATUTE'; entryId: string; reference: string }
  | { kind: 'CONSENT' }
  | { kind: 'NEVER' };

/** The agency kinds of the district, in the order the design lists them. */
const KIND_ORDER: readonly AgencyKind[] = ['county', 'municipality', 'jobcenter', 'socialcare'];

/** The agency kinds present in the district's agency list, in the design's order. */
export function districtKinds(agencies: AgencyList): AgencyKind[] {
  const present = new Set(agencies.ids.map((id) => parseAgency(id)?.kind));
  return KIND_ORDER.filter((kind) => present.has(kind));
}

/**
 * The record scopes that exist for an agency kind and a category: a kind owning the category with several
 * agencies of that kind in the district (municipalities, welfare organisations) may ask for another one's
 * records, which its own task does not cover; for everyone else there is only one answer.
 */
export function scopesOf(kind: AgencyKind, category: Category, agencies: AgencyList): RecordScope[] {
  const ofKind = agencies.ids.filter((id) => parseAgency(id)?.kind === kind).length;
  return CATEGORY_OWNER[category] === kind && ofKind > 1 ? ['own', 'others'] : ['own'];
}

/**
 * The basis on which the policy releases a category to an agency stating a purpose (with the role that
 * purpose belongs to), found by asking `decide` itself: without a consent, and with one covering the request.
 */
export function basisFor(
  agencyId: string,
  purpose: Purpose,
  category: Category,
  scope: RecordScope,
  policy: PolicyData,
  /** A field a statute entry may name alone (`Type.field`); without it, the answer for the whole category. */
  field?: string,
): AccessBasis {
  const agency = parseAgency(agencyId);
  if (!agency) throw new Error(`${agencyId} is not a Verbund agency id`);
  const now = new Date();
  const ask = (consents: ConsentGrant[]) =>
    decide({
      caller: { agency, roles: [PURPOSE_ROLE[purpose]], purpose },
      category,
      ...(field ? { field } : {}),
      inOwnScope: scope === 'own',
      consents,
      catalogue: policy.catalogue,
      now,
      // The covering consent below is in force on every day in every zone, so the zone decides nothing here.
      timeZone: 'UTC',
    });
  const without = ask([]);
  if (without.allowed) {
    if (without.basis === 'OWN_TASK') return { kind: 'OWN_TASK' };
    const entryId = without.basis.slice('STATUTE:'.length);
    const entry = policy.catalogue.entries.find((e) => e.id === entryId);
    if (!entry) throw new Error(`The policy named ${without.basis}, which the catalogue does not hold`);
    return { kind: 'STATUTE', entryId, reference: entry.reference };
  }
  const consent: ConsentGrant = {
    id: 'any',
    version: 1,
    personId: 'any',
    recipients: [agency.id],
    purposes: [purpose],
    categories: [category],
    validFrom: '1970-01-01',
    validUntil: null,
    withdrawnAt: null,
    voidedAt: null,
  };
  return ask([consent]).allowed ? { kind: 'CONSENT' } : { kind: 'NEVER' };
}

/** One kind's purposes under one basis, e.g. "jobcenter for JOB_PLACEMENT, CASE_CONFERENCE". */
interface Grant {
  kind: AgencyKind;
  scope: RecordScope | 'any';
  purposes: Purpose[];
}

/** A category's access rules for the district, grouped by basis; what the field descriptions and the matrix say. */
export interface CategoryRules {
  category: Category;
  owner: AgencyKind;
  ownTask: Grant[];
  statutes: { entryId: string; reference: string; grants: Grant[] }[];
  consent: Grant[];
  never: Grant[];
}

/** Groups the policy's answers for one category over every agency kind, purpose and record scope of the district. */
export function categoryRules(category: Category, policy: PolicyData, field?: string): CategoryRules {
  const rules: CategoryRules = {
    category,
    owner: CATEGORY_OWNER[category],
    ownTask: [],
    statutes: [],
    consent: [],
    never: [],
  };
  const add = (list: Grant[], kind: AgencyKind, scope: Grant['scope'], purpose: Purpose) => {
    const grant = list.find((g) => g.kind === kind && g.scope === scope);
    if (grant) grant.purposes.push(purpose);
    else list.push({ kind, scope, purposes: [purpose] });
  };
  for (const kind of districtKinds(policy.agencies)) {
    // Every agency of one kind is decided alike; the first one on the list speaks for its kind.
    const agencyId = policy.agencies.ids.find((id) => parseAgency(id)?.kind === kind)!;
    const scopes = scopesOf(kind, category, policy.agencies);
    for (const purpose of PURPOSES_BY_AGENCY[kind]) {
      const answers = scopes.map((scope) => ({
        scope,
        basis: basisFor(agencyId, purpose, category, scope, policy, field),
      }));
      const alike = answers.every((a) => JSON.stringify(a.basis) === JSON.stringify(answers[0].basis));
      for (const { scope, basis } of alike ? [{ ...answers[0], scope: 'any' as const }] : answers) {
        switch (basis.kind) {
          case 'OWN_TASK':
            add(rules.ownTask, kind, scope, purpose);
            break;
          case 'STATUTE': {
            let statute = rules.statutes.find((s) => s.entryId === basis.entryId);
            if (!statute) {
              statute = { entryId: basis.entryId, reference: basis.reference, grants: [] };
              rules.statutes.push(statute);
            }
            add(statute.grants, kind, scope, purpose);
            break;
          }
          case 'CONSENT':
            add(rules.consent, kind, scope, purpose);
            break;
          case 'NEVER':
            add(rules.never, kind, scope, purpose);
            break;
        }
      }
    }
  }
  return rules;
}

const SCOPE_WORDS: Record<Grant['scope'], string> = {
  any: '',
  own: ' (its own records)',
  others: " (another agency's records)",
};

/** `<kinds>[ (scope)] for <purposes>` per group, kinds with the same purposes and scope in one group. */
function grants(list: Grant[]): string {
  const groups = new Map<string, AgencyKind[]>();
  for (const g of list) {
    const key = `${SCOPE_WORDS[g.scope]} for ${g.purposes.join(', ')}`;
    groups.set(key, [...(groups.get(key) ?? []), g.kind]);
  }
  return [...groups].map(([rest, kinds]) => `${kinds.join(', ')}${rest}`).join('; ');
}

/** The first line of every generated access description; what follows it is replaced on each compose. */
export const ACCESS_HEADING = 'Who may see this field';

/**
 * The access rules of a category in words, as `npm run compose` writes them into every gated field's
 * description. Each line names the basis, then `<agency kind> for <purposes>` per kind (`; ` between kinds),
 * so a reader, and the test that holds it to the policy, can read who sees the field for which purpose.
 */
export function describeAccess(category: Category, policy: PolicyData, field?: string): string {
  const rules = categoryRules(category, policy, field);
  const lines = [
    `${ACCESS_HEADING} (category ${category}, held by the ${rules.owner} subgraph; policy ${policyVersion(policy.catalogue)}):`,
  ];
  if (rules.ownTask.length) lines.push(`- Own task: ${grants(rules.ownTask)}.`);
  const alone = (entryId: string) =>
    policy.catalogue.entries.find((e) => e.id === entryId)?.fields ? ', this field alone' : '';
  for (const statute of rules.statutes)
    lines.push(
      `- Statute ${statute.entryId} (${statute.reference})${alone(statute.entryId)}: ${grants(statute.grants)}.`,
    );
  if (rules.consent.length)
    lines.push(
      `- Only with the person's consent naming the agency, the purpose and ${category}: ${grants(rules.consent)}.`,
    );
  if (rules.never.length) lines.push(`- Never, whatever the consent: ${grants(rules.never)}.`);
  if (category === 'HEALTH')
    lines.push('Special category data (GDPR Art. 9): never released by statute, only by explicit consent.');
  lines.push('Without a basis the field is null and the response carries CONSENT_REQUIRED (or FORBIDDEN).');
  return lines.join('\n');
}

const BASIS_CELL: Record<AccessBasis['kind'], (b: AccessBasis) => string> = {
  OWN_TASK: () => 'own task',
  STATUTE: (b) => `statute \`${(b as { entryId: string }).entryId}\``,
  CONSENT: () => 'consent',
  NEVER: () => '—',
};

function cell(agencyId: string, purpose: Purpose, category: Category, policy: PolicyData): string {
  const words = (scope: RecordScope) => {
    const basis = basisFor(agencyId, purpose, category, scope, policy);
    return BASIS_CELL[basis.kind](basis);
  };
  const own = words('own');
  if (scopesOf(parseAgency(agencyId)!.kind, category, policy.agencies).length === 1) return own;
  const others = words('others');
  return own === others ? own : `${own} (own records); ${others} (others' records)`;
}

/**
 * `docs/access-matrix.md`: for every agency of the district and every purpose it may state, the basis on
 * which each category is released, generated by `npm run compose` from the same policy data as the schema.
 */
export function accessMatrix(policy: PolicyData): string {
  const out = [
    '# Access matrix',
    '',
    '<!-- Generated by `npm run compose` from the policy (common/policy/), the statute catalogue and the',
    '     agency list; do not edit by hand. tests/access-descriptions.test.ts fails when it is stale. -->',
    '',
    `Policy version \`${policyVersion(policy.catalogue)}\`${policy.catalogue.example ? ' (the shipped example catalogue)' : ''}.`,
    'For each agency of the district and each purpose it may state (with the role that purpose belongs to),',
    'the basis on which each data category is released: **own task**, a **statute** entry of the catalogue,',
    "**consent** (only with the person's consent naming the agency, the purpose and the category), or **—**",
    '(never; no consent can change it). Where an agency owns a category but another agency of its kind holds',
    "the record (another municipality's resident, another welfare organisation's client), the cell says both.",
    'An entry that names single fields covers those fields alone; the cells below answer for whole categories.',
    '',
    '## Statute entries',
    '',
    '| entry | legal reference | agencies | purposes | categories |',
    '|---|---|---|---|---|',
    ...policy.catalogue.entries.map(
      (e) =>
        `| \`${e.id}\` | ${e.reference} | ${e.agencies.join(', ')} | ${e.purposes.join(', ')} | ${e.categories.join(', ')}${e.fields ? `: only ${e.fields.map((f) => `\`${f}\``).join(', ')}` : ''} |`,
    ),
  ];
  for (const agencyId of policy.agencies.ids) {
    const kind = parseAgency(agencyId)!.kind;
    out.push(
      '',
      `## ${agencyId}`,
      '',
      `| purpose (role) | ${CATEGORIES.join(' | ')} |`,
      `|---|${CATEGORIES.map(() => '---').join('|')}|`,
    );
    for (const purpose of PURPOSES_BY_AGENCY[kind]) {
      const cells = CATEGORIES.map((category) => cell(agencyId, purpose, category, policy));
      out.push(`| ${purpose} (${PURPOSE_ROLE[purpose]}) | ${cells.join(' | ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
