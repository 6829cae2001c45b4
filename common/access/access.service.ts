import DataLoader from 'dataloader';
import { NARROW_PURPOSES, type Caller, type Category } from '../domain.js';
import { decide, type ConsentGrant, type Decision } from '../policy/policy.js';
import type { StatuteCatalogue } from '../policy/statutes.js';
import type { ConsentLookup } from './consent-lookup.js';

/** Which of these persons are in the caller's own caseload (own residents, own clients)? */
export type OwnScope = (caller: Caller, personIds: string[]) => Promise<Set<string>>;

/**
 * Whose records a decision is about: `any` lets own task apply where the person is in the caller's scope;
 * `others` is about records another agency or organisation holds, which own task never covers.
 */
export type RecordHolder = 'any' | 'others';

const SEPARATOR = '\u0000';

/** Per catalogue, once (not per request): the fields its entries name on their own. */
const namedFieldsByCatalogue = new WeakMap<StatuteCatalogue, ReadonlySet<string>>();
function namedFieldsOf(catalogue: StatuteCatalogue): ReadonlySet<string> {
  let fields = namedFieldsByCatalogue.get(catalogue);
  if (!fields)
    namedFieldsByCatalogue.set(catalogue, (fields = new Set(catalogue.entries.flatMap((e) => e.fields ?? []))));
  return fields;
}

/**
 * The per-request policy enforcement point of a subgraph. All decisions requested in one tick of one
 * request are made in one batch: one own-scope query and at most one consent registry lookup, however many
 * persons and categories the fetch touches. What was decided for which field is kept apart, in the
 * request's `DecisionJournal`.
 */
export class AccessService {
  /** Decision time, the same for every field of the request. */
  readonly now = new Date();
  private readonly loader: DataLoader<string, Decision>;

  constructor(
    readonly caller: Caller,
    private readonly deps: {
      catalogue: StatuteCatalogue;
      /** The district's time zone, in which consents' validity dates are days. */
      timeZone: string;
      authorization: string;
      consentLookup: ConsentLookup;
      ownScope?: OwnScope;
    },
  ) {
    this.loader = new DataLoader((keys) => this.decideBatch(keys));
    this.namedFields = namedFieldsOf(deps.catalogue);
  }

  /** The fields a statute entry names on its own (`StatuteEntry.fields`); every other field is decided by category. */
  private readonly namedFields: ReadonlySet<string>;

  /**
   * Decides (caller, person, category), batched with every other decision of this tick. With `holder`
   * `others` the records are another agency's or organisation's, so own task does not apply. `field`
   * (`Type.field`) matters only for a field a statute entry names on its own; any other field of a category is
   * decided once with the category.
   */
  decide(personId: string, category: Category, holder: RecordHolder = 'any', field?: string): Promise<Decision> {
    const named = field !== undefined && this.namedFields.has(field) ? field : '';
    return this.loader.load(personId + SEPARATOR + category + SEPARATOR + holder + SEPARATOR + named);
  }

  /**
   * What this request already learnt per person: whether the person is in the caller's own scope, and the
   * consents naming the caller (or that the registry could not be asked). A later batch of the same request
   * (items of a list decided after their parent) asks neither the database nor the registry again.
   */
  private readonly scopeKnown = new Map<string, boolean>();
  private readonly grantsKnown = new Map<string, ConsentGrant[] | 'unavailable'>();

  /**
   * Under a narrow purpose (a person's access request) the one person this request may concern: the first one
   * decided. Any other person is refused (`FORBIDDEN`); a request that names several persons at once in its
   * first decisions concerns none of them (`null`): every decision of it is refused.
   */
  private subject: string | null | undefined;

  private async decideBatch(keys: readonly string[]): Promise<Decision[]> {
    const pairs = keys.map((key) => {
      const [personId, category, holder, field] = key.split(SEPARATOR) as [string, Category, RecordHolder, string];
      return { personId, category, holder, field: field || undefined };
    });
    if (NARROW_PURPOSES.includes(this.caller.purpose)) {
      const asked = new Set(pairs.map((p) => p.personId));
      if (this.subject === undefined) this.subject = asked.size === 1 ? [...asked][0] : null;
      const reason = `Purpose ${this.caller.purpose} serves one person per request`;
      const others: Decision = { allowed: false, refusal: 'FORBIDDEN', reason };
      if (this.subject === null) return pairs.map(() => others);
      const own = pairs.filter((p) => p.personId === this.subject);
      const decided = own.length === 0 ? [] : await this.decideFor(own);
      return pairs.map((p) => (p.personId === this.subject ? decided[own.indexOf(p)] : others));
    }
    return this.decideFor(pairs);
  }

  private async decideFor(
    pairs: { personId: string; category: Category; holder: RecordHolder; field: string | undefined }[],
  ): Promise<Decision[]> {
    const personIds = [...new Set(pairs.map((p) => p.personId))];
    const unknownScope = personIds.filter((id) => !this.scopeKnown.has(id));
    if (this.deps.ownScope && unknownScope.length) {
      const found = await this.deps.ownScope(this.caller, unknownScope);
      for (const id of unknownScope) this.scopeKnown.set(id, found.has(id));
    }
    const inScope = this.deps.ownScope ? new Set(personIds.filter((id) => this.scopeKnown.get(id))) : undefined;
    const base = { caller: this.caller, catalogue: this.deps.catalogue, now: this.now, timeZone: this.deps.timeZone };
    const decideWith = (pair: (typeof pairs)[number], consents: ConsentGrant[] | 'unavailable') =>
      decide({
        ...base,
        category: pair.category,
        ...(pair.field ? { field: pair.field } : {}),
        inOwnScope: pair.holder === 'others' ? false : (inScope?.has(pair.personId) ?? true),
        consents,
      });

    const first = pairs.map((pair) => decideWith(pair, []));
    const needConsent = [...new Set(pairs.filter((_, i) => isConsentRequired(first[i])).map((pair) => pair.personId))];
    if (needConsent.length === 0) return first;

    const toAsk = needConsent.filter((id) => !this.grantsKnown.has(id));
    if (toAsk.length) {
      let grants: ConsentGrant[] | 'unavailable';
      try {
        grants = await this.deps.consentLookup(this.caller, this.deps.authorization, toAsk);
      } catch {
        grants = 'unavailable';
      }
      for (const id of toAsk)
        this.grantsKnown.set(id, grants === 'unavailable' ? grants : grants.filter((g) => g.personId === id));
    }
    return pairs.map((pair, i) => {
      if (!isConsentRequired(first[i])) return first[i];
      return decideWith(pair, this.grantsKnown.get(pair.personId)!);
    });
  }
}

function isConsentRequired(decision: Decision): boolean {
  return !decision.allowed && decision.refusal === 'CONSENT_REQUIRED';
}
