import { IsNull, type EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import { badUserInput } from '../../../common/errors.js';
import { isUuid } from '../../../common/validation.js';
import { Accommodation } from '../entities/accommodation.entity.js';
import type { AccommodationInput } from '../inputs/accommodation.input.js';

/** The AGS of a municipality caller; the operation table admits only municipalities to its writes. */
export function callerAgs(caller: Caller): string {
  if (caller.agency.kind !== 'municipality' || !caller.agency.ags) throw new Error(`${caller.agency.id} has no AGS`);
  return caller.agency.ags;
}

/** Accommodation records and the residents they make a municipality responsible for. */
export class HousingService {
  constructor(private readonly db: EntityManager) {}

  /**
   * Which of these persons currently live (open accommodation) in `ags`: the municipality's own residents,
   * whose HOUSING and CHILDCARE_SCHOOL it sees as its own task. One statement.
   */
  async currentResidents(ags: string, personIds: string[]): Promise<Set<string>> {
    const ids = personIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows: { person_id: string }[] = await this.db.query(
      `SELECT person_id FROM accommodation WHERE until IS NULL AND municipality_ags = $1 AND person_id = ANY($2::uuid[])`,
      [ags, ids],
    );
    return new Set(rows.map((row) => row.person_id));
  }

  /** The municipality's current residents, longest resident first. */
  async listResidents(ags: string, first: number, offset: number): Promise<string[]> {
    const rows: { person_id: string }[] = await this.db.query(
      `SELECT person_id FROM accommodation WHERE until IS NULL AND municipality_ags = $1
       ORDER BY since, person_id LIMIT $2 OFFSET $3`,
      [ags, first, offset],
    );
    return rows.map((row) => row.person_id);
  }

  /**
   * Records a move into accommodation of the caller's municipality. In one transaction, the person's current
   * accommodation ends on the day of the move and the new one begins. The current one may lie in another
   * municipality (the person moved here); ending it on the move date is part of the move, and the caller
   * learns nothing about it beyond the ordering check.
   */
  async recordMove(caller: Caller, personId: string, input: AccommodationInput): Promise<Accommodation> {
    const ags = callerAgs(caller);
    return this.db.transaction(async (manager) => {
      // Serialises moves of one person, so two concurrent moves cannot both find no current accommodation.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`accommodation:${personId}`]);
      const repository = manager.getRepository(Accommodation);
      const current = await repository.findOne({
        where: { personId, until: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (current && input.since < current.since) {
        throw badUserInput([
          { field: 'since', message: "must not be before the start of the person's current accommodation" },
        ]);
      }
      if (current) await repository.update({ id: current.id }, { until: input.since });
      const created = repository.create({
        personId,
        municipalityAgs: ags,
        type: input.type,
        address: input.address.trim(),
        since: input.since,
        until: null,
        recordedBy: caller.officer,
      });
      return repository.save(created);
    });
  }
}
