import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Directive, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Agency, Category } from '../domain.js';
import type { Decision } from '../policy/policy.js';
import { ErrorCode } from '../errors.js';
import type { AccessService, RecordHolder } from './access.service.js';
import type { DecisionJournal, FieldOutcome } from './decision-journal.js';

/** What a gated field's parent must offer: the person the value belongs to. */
export interface PersonOwned {
  personId: string;
}

const REFUSAL_CODES = {
  FORBIDDEN: ErrorCode.Forbidden,
  CONSENT_REQUIRED: ErrorCode.ConsentRequired,
  CONSENT_UNAVAILABLE: ErrorCode.ConsentUnavailable,
} as const;

/** The agencies holding a released value's records, by the subgraph's `holderOf`; undefined when it has none. */
export function holdersOf(
  value: unknown,
  holderOf: ((record: object) => string | undefined) | undefined,
): string[] | undefined {
  if (!holderOf || value === null || typeof value !== 'object') return undefined;
  const records = (Array.isArray(value) ? value : [value]) as unknown[];
  const holders = new Set(
    records.flatMap((r) => (r && typeof r === 'object' ? [holderOf(r)] : [])).filter((h): h is string => !!h),
  );
  return holders.size ? [...holders].sort() : undefined;
}

type GateContext = {
  access: AccessService;
  journal: DecisionJournal;
  holderOf?: (record: object) => string | undefined;
};

function gate(category: Category, personIdOf: (root: never) => string): MiddlewareFn<GateContext> {
  return async ({ root, context, info }, next) => {
    const personId = personIdOf(root as never);
    const field = `${info.parentType.name}.${info.fieldName}`;
    const decision = await context.access.decide(personId, category, 'any', field);
    const outcome: FieldOutcome = { field, category, decision, path: responsePathAsArray(info.path) };
    context.journal.record(personId, outcome);
    if (decision.allowed) {
      let value: unknown = await next();
      if (decision.basis === 'OWN_TASK' && context.holderOf && value !== null && typeof value === 'object') {
        if (Array.isArray(value)) {
          value = await othersRecords(context, outcome.path, personId, value as unknown[], {
            category,
            field,
            applies: () => true,
          });
        } else {
          const holder = context.holderOf(value);
          if (holder && holder !== context.access.caller.agency.id) {
            // One record of another agency: own task does not reach it, so it needs a basis of its own.
            const other = await context.access.decide(personId, category, 'others', field);
            outcome.decision = other;
            if (!other.allowed) throw refusal(field, category, personId, other, { info, path: outcome.path });
          }
        }
      }
      const holders = holdersOf(value, context.holderOf);
      if (holders) outcome.holders = decision.basis === 'OWN_TASK' ? ownHolders(holders, context) : holders;
      return value;
    }
    throw refusal(field, category, personId, decision, { info, path: outcome.path });
  };
}

function refusal(
  field: string,
  category: Category,
  personId: string,
  decision: Extract<Decision, { allowed: false }>,
  at: { info: GraphQLResolveInfo; path: readonly (string | number)[] },
): GraphQLError {
  // A refusal is an answer, not a fault: no stack trace is captured. It is made where graphql-js would place
  // it (the field's nodes and response path), so graphql-js takes it as it is: otherwise it builds a second
  // error around it and copies this one's stack into it, formatting it (together 3 to 4 % of a refusing
  // subgraph's CPU in the benchmark's profile). The answer is the same: message, locations, path, extensions.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(`${field} withheld: ${decision.reason}`, {
      nodes: at.info.fieldNodes,
      path: at.path,
      extensions: { code: REFUSAL_CODES[decision.refusal], category, field, personId },
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The holders an own-task release may claim: the caller's agency only (the others are logged apart). */
function ownHolders(holders: string[], context: GateContext): string[] | undefined {
  const own = holders.filter((h) => h === context.access.caller.agency.id);
  return own.length ? own : undefined;
}

/** How the log and a refusal name another holder's records of a field, e.g. `Person.housingHistory[other municipalities]`. */
export function othersField(field: string, caller: Agency): string {
  return `${field}[other ${caller.kind === 'municipality' ? 'municipalities' : 'organisations'}]`;
}

/**
 * Own task covers only the records the caller's own agency wrote (DESIGN, decision step 2): after a person
 * moves, the new municipality's own task does not reach what the former municipality wrote. Of `items`
 * released on own task, those `applies` picks and another agency holds are decided apart, as records of
 * others (statute or consent, never own task): released and logged under that basis with their holders,
 * or left out with the refusal reported. Nothing is decided when no such item is there.
 */
async function othersRecords<T>(
  { access, journal, holderOf }: GateContext,
  path: readonly (string | number)[],
  personId: string,
  items: T[],
  gate: { category: Category; field: string; applies(item: T): boolean },
): Promise<T[]> {
  if (!holderOf) return items;
  const own = access.caller.agency.id;
  const foreign = (item: T) => {
    const holder = item && typeof item === 'object' ? holderOf(item) : undefined;
    return gate.applies(item) && holder !== undefined && holder !== own;
  };
  const theirs = items.filter(foreign);
  if (theirs.length === 0) return items;
  const decision = await access.decide(personId, gate.category, 'others');
  const field = othersField(gate.field.replace(/\[.*\]$/, ''), access.caller.agency);
  if (decision.allowed) {
    journal.record(personId, {
      field,
      category: gate.category,
      decision,
      path,
      ...(holdersOf(theirs, holderOf) ? { holders: holdersOf(theirs, holderOf) } : {}),
    });
    return items;
  }
  journal.record(personId, { field, category: gate.category, decision, path });
  journal.notices.push({
    message: `${field} withheld: ${decision.reason}`,
    path,
    extensions: { code: REFUSAL_CODES[decision.refusal], category: gate.category, field, personId },
  });
  return items.filter((item) => !foreign(item));
}

/**
 * The person a gated field's parent is about. A named function rather than an inline default: swc (jest)
 * reads `in` inside a parameter's default as the end of that parameter.
 */
function personIdOfParent(root: PersonOwned | { id: string }): string {
  return 'personId' in root ? root.personId : root.id;
}

/**
 * Declares a personal field's data category: the field shows `@consent(category: …)` in the schema, and
 * resolves only when the policy allows the caller this category of this person; otherwise it is null with
 * an error naming category, field and person. The parent is a Person (`id`) unless `personIdOf` says else.
 */
export function Gated(
  category: Category,
  personIdOf: (root: never) => string = personIdOfParent,
): PropertyDecorator & MethodDecorator {
  const directive = Directive(`@consent(category: "${category}")`);
  const middleware = UseMiddleware(gate(category, personIdOf));
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    directive(target, key as string, descriptor as never);
    middleware(target, key as string, descriptor as never);
  };
}

/** Which items of a list need a basis of their own: their category, and whose records they are. */
export interface ItemGate<T> {
  /** True for the items this gate is about, e.g. support needs in the field of action HEALTH. */
  applies(item: T): boolean;
  category: Category;
  /** `others` when the items are records another agency or organisation holds (own task never covers them). */
  holder: RecordHolder;
  /** How the log and the refusal name these items, e.g. `SocialCareCase.openNeeds[HEALTH]`. */
  field: string;
}

/**
 * Gates the items of a list whose category depends on their content or on who holds them: decides the
 * category for the person once, logs the outcome, and leaves the items out when there is no basis. The
 * refusal is reported whenever the caller has no basis, whether or not such items exist, so that the
 * report itself does not tell that the person has, say, a health-related need.
 */
export async function gateItems<T>(
  { access, journal, holderOf }: GateContext,
  info: GraphQLResolveInfo,
  personId: string,
  items: T[],
  gate: ItemGate<T>,
): Promise<T[]> {
  const decision = await access.decide(personId, gate.category, gate.holder);
  const path = responsePathAsArray(info.path);
  const matching = items.some((item) => gate.applies(item));
  if (decision.allowed) {
    if (matching && decision.basis === 'OWN_TASK') {
      items = await othersRecords({ access, journal, holderOf }, path, personId, items, gate);
    }
    if (matching) {
      const found = holdersOf(
        items.filter((item) => gate.applies(item)),
        holderOf,
      );
      const holders =
        found && decision.basis === 'OWN_TASK' ? found.filter((h) => h === access.caller.agency.id) : found;
      journal.record(personId, {
        field: gate.field,
        category: gate.category,
        decision,
        path,
        ...(holders?.length ? { holders } : {}),
      });
    }
    return items;
  }
  journal.record(personId, { field: gate.field, category: gate.category, decision, path });
  journal.notices.push({
    message: `${gate.field} withheld: ${decision.reason}`,
    path,
    extensions: { code: REFUSAL_CODES[decision.refusal], category: gate.category, field: gate.field, personId },
  });
  return items.filter((item) => !gate.applies(item));
}
