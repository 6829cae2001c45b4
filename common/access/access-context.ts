import type { DataSource } from 'typeorm';
import type { Caller } from '../domain.js';
import type { Registration } from './registry-lookup.js';

/**
 * What the access checks read of a request's context: who asks, and the county's register asked on their
 * behalf. A subgraph's full context (`SubgraphContext`) has both, and more.
 */
export interface AccessContext {
  caller: Caller;
  /** The county's register, asked on the caller's behalf: which of these person ids it issued. */
  registry(personIds: string[]): Promise<Map<string, Registration>>;
}

/** The person or record a mutation names, taken from its arguments (`personId`, `id`, or the same in `input`). */
export interface WriteTarget {
  personId?: string;
  recordId?: string;
}

/** Checks that a write stays within its declared scope; throws FORBIDDEN or NOT_FOUND when it does not. */
export type WriteScopeCheck<Context extends AccessContext = AccessContext> = (
  context: Context,
  target: WriteTarget,
  mutation: string,
) => Promise<void>;

/** Answers one admitted lean lookup (`common/access/lookup-routes.ts`); throws `badUserInput` for a bad body. */
export type LookupHandler = (db: DataSource, caller: Caller, body: unknown) => Promise<unknown>;
