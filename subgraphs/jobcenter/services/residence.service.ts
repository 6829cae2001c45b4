import { IsNull, type EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import { badUserInput } from '../../../common/errors.js';
import { ClientResidence } from '../entities/residence.entity.js';
import type { ClientResidenceInput } from '../inputs/residence.input.js';

/** Where the jobcenter's clients live, as its own file records it. */
export class ResidenceService {
  constructor(private readonly db: EntityManager) {}

  /**
   * Records that a client lives in a municipality from `since` on; in one transaction the current residence
   * ends that day, so a client never has two current residences.
   */
  async record(caller: Caller, personId: string, input: ClientResidenceInput): Promise<ClientResidence> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`client-residence:${personId}`]);
      const repository = manager.getRepository(ClientResidence);
      const current = await repository.findOne({ where: { personId, until: IsNull() } });
      if (current && input.since <= current.since) {
        throw badUserInput([
          { field: 'since', message: `must be after the start of the current residence (${current.since})` },
        ]);
      }
      if (current) await repository.update({ id: current.id }, { until: input.since });
      return repository.save(
        repository.create({
          personId,
          municipalityAgs: input.municipalityAgs,
          since: input.since,
          until: null,
          recordedBy: caller.officer,
        }),
      );
    });
  }
}
