/**
 * The journal of one request's decisions: every gated field decided, with where it sits in the response,
 * and every refusal reported beside the data. The gates write it; the disclosure plugin reads it to write
 * the request's records and to add the notices to the response.
 */
import type { Category } from '../domain.js';
import type { Decision } from '../policy/policy.js';

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

/** What one request decided, per person, for its disclosure records; built per request in the context. */
export class DecisionJournal {
  /** Every field decided in this request, by person id. */
  readonly outcomes = new Map<string, FieldOutcome[]>();
  /** Refusals of items left out of lists; added to the response's errors before it leaves. */
  readonly notices: WithheldNotice[] = [];

  /** Records a field's outcome; one entry per (person, field) in request order. */
  record(personId: string, outcome: FieldOutcome): void {
    const list = this.outcomes.get(personId);
    if (list) list.push(outcome);
    else this.outcomes.set(personId, [outcome]);
  }
}
