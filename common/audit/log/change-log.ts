import { GraphQLError, getNamedType, type GraphQLFieldResolver } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessService } from '../../access/access.service.js';
import { ErrorCode } from '../../errors.js';
import { partLogger } from '../../log.js';
import { changeEntry, clientOperationName } from './disclosure-entry.js';
import type { DisclosureLog } from './disclosure-log.repository.js';
import type { DisclosureRecord } from './record.js';

const changeLog = partLogger('change-log');

/** What a mutation's context holds that recording its change needs (a subgraph's context has more). */
type ChangeContext = { access: AccessService; db: EntityManager };
type Resolver = GraphQLFieldResolver<unknown, ChangeContext>;

/** What a data subgraph's mutations need to record their changes. */
export interface ChangeLogging {
  db: DataSource;
  log: DisclosureLog;
  policyVersion: string;
}

/**
 * Runs every mutation in one transaction together with its disclosure record: who changed which record
 * (type and id) of which person, for which purpose. The change and its record commit together or not at
 * all. Every mutation of a data subgraph returns the record it wrote, which carries `personId` (or is
 * the Person itself); services that open their own transaction get a savepoint inside this one.
 */
export function recordingChanges(mutations: Record<string, unknown>, logging: ChangeLogging): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(mutations).map(([field, resolver]) => {
      const resolve = (
        typeof resolver === 'function' ? resolver : (resolver as { resolve: Resolver }).resolve
      ) as Resolver;
      const wrapped: Resolver = async (root, args, context, info) => {
        const runner = logging.db.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        let written: DisclosureRecord[] = [];
        try {
          const result = (await resolve(root, args, { ...context, db: runner.manager }, info)) as
            Record<string, unknown> | null | undefined;
          const type = getNamedType(info.returnType).name;
          const personId = result?.personId ?? (type === 'Person' ? result?.id : undefined);
          // A record about no person (a line of the district's directory) says so with `personId: null`.
          const aboutNoPerson = !!result && result.personId === null && type !== 'Person';
          if (result && typeof personId !== 'string' && !aboutNoPerson) {
            // A mutation that changed something must say whose record it was; refuse rather than go unrecorded.
            throw new Error(`Mutation ${field} returned a ${type} without personId; its change cannot be recorded`);
          }
          if (typeof personId === 'string' || aboutNoPerson) {
            const record = typeof result?.id === 'string' ? `${type}:${result.id}` : type;
            const entry = {
              ...changeEntry({
                access: context.access,
                operation: clientOperationName(info.operation.name?.value),
                personId: typeof personId === 'string' ? personId : '',
                change: { operation: field, record },
                policyVersion: logging.policyVersion,
              }),
              personId: typeof personId === 'string' ? personId : null,
            };
            written = await logging.log.appendWithin(runner.manager, [entry]).catch((error: unknown) => {
              changeLog.error('disclosure log append failed; change rolled back', { field, err: error });
              throw new GraphQLError(
                'The disclosure log could not be written, so the change was not made. Try again later.',
                {
                  extensions: { code: ErrorCode.DisclosureLogUnavailable },
                },
              );
            });
          }
          await runner.commitTransaction();
          return result;
        } catch (error) {
          // Nothing of this transaction stays (a failed commit included): the next append must not follow its record.
          logging.log.abandoned(written);
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          throw error;
        } finally {
          await runner.release();
        }
      };
      return [field, wrapped];
    }),
  );
}
