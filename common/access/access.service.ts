import DataLoader from 'dataloader';
import type { Caller, Category } from '../domain.js';
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

/** A refusal reported beside the data rather than in place of it (items left out of a list). */
export interface WithheldNotice {
  message: string;
  path: readonly (string | number)[];
  extensions: Record<string, unknown>;
}

/** A field's outcome for one person, kept for the disclosure log. */
export interface FieldOutcome {
  field: string;
  category: Category;
  decision: Decision;
  /** Where the field sits in this subgraph's response, to tell whether its value actually went out. */
  path: readonly (string | number)[];
  /** The agencies holding the released records, where the subgraph serves several. */
  holders?: string[];
}


const SEPARATOR = '\u0000';

/**
 * The per-request policy enforcement point of a subgraph. All decisions requested in one tick of one
 * request are made in one batch: one own-scope query and at most one consent registry lookup, however many
 * persons and categories the fetch touches.
 */
export class AccessService {
  /** Every field decided in this request, by person id. */
  readonly outcomes = new Map<string, FieldOutcome[]>();
  /** Refusals of items left out of lists; added to the response's errors before it leaves. */
  readonly notices: WithheldNotice[] = [];
  /** Decision time, the same for every field of the request. */
  readonly now = new Date();
  private readonly loader: DataLoader<string, Decision>;

  constructor(
    readonly caller: Caller,
    private readonly deps: {
      catalogue: StatuteCatalogue;
      authorization: string;
      consentLookup: ConsentLookup;
      ownScope?: OwnScope;
    },
  ) {
    this.loader = new DataLoader((keys) => this.decideBatch(keys));
  }

  /**
   * Decides (caller, person, category), batched with every other decision of this tick. With `holder`
   * `others` the records are another agency's or organisation's, so own task does not apply.
   */
  decide(personId: string, category: Category, holder: RecordHolder = 'any'): Promise<Decision> {
    return this.loader.load(personId + SEPARATOR + category + SEPARATOR + holder);
  }

  /** Records a field's outcome; one entry per (person, field) in request order. */
  record(personId: string, outcome: FieldOutcome): void {
    const list = this.outcomes.get(personId);
    if (list) list.push(outcome);
    else this.outcomes.set(personId, [outcome]);
  }

  private async decideBatch(keys: readonly string[]): Promise<Decision[]> {
    const pairs = keys.map((key) => {
      const [personId, category, holder] = key.split(SEPARATOR) as [string, Category, RecordHolder];
      return { personId, category, holder };
    });
    const personIds = [...new Set(pairs.map((p) => p.personId))];
    const inScope = this.deps.ownScope ? await this.deps.ownScope(this.caller, personIds) : undefined;
    const base = { caller: this.caller, catalogue: this.deps.catalogue, now: this.now };
    const decideWith = (pair: (typeof pairs)[number], consents: ConsentGrant[] | 'unavailable') =>
      decide({
        ...base,
        category: pair.category,
        inOwnScope: pair.holder === 'others' ? false : (inScope?.has(pair.personId) ?? true),
        consents,
      });

    const first = pairs.map((pair) => decideWith(pair, []));
    const needConsent = [
      ...new Set(pairs.filter((_, i) => isConsentRequired(first[i])).map((pair) => pair.personId)),
    ];
    if (needConsent.length === 0) return first;

    let grants: ConsentGrant[] | 'unavailable';
    try {
      grants = await this.deps.consentLookup(this.caller, this.deps.authorization, needConsent);
    } catch {
      grants = 'unavailable';
    }
    return pairs.map((pair, i) => {
      if (!isConsentRequired(first[i])) return first[i];
      const personGrants = grants === 'unavailable' ? grants : grants.filter((g) => g.personId === pair.personId);
      return decideWith(pair, personGrants);
    });
  }
}

function isConsentRequired(decision: Decision): boolean {
  return !decision.allowed && decision.refusal === 'CONSENT_REQUIRED';
}
