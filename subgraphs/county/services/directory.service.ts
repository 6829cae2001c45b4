import type { EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import { badUserInput, forbidden, notFound } from '../../../common/errors.js';
import type { FieldOfAction } from '../../../common/integration/field-of-action.js';
import { DirectoryEntry } from '../entities/directory-entry.entity.js';
import type { DirectoryEntryInput } from '../inputs/directory.input.js';

const ORDER = ['HOUSING', 'LANGUAGE', 'EDUCATION', 'WORK_AND_TRAINING', 'SOCIAL_PARTICIPATION', 'RESIDENCE'];

/** The district's guide of responsibilities, kept line by line by the partner each line belongs to. */
export class DirectoryService {
  constructor(private readonly db: EntityManager) {}

  /**
   * The entries for a field of action (or all) in a municipality: its own and the district-wide ones (or all
   * entries without a municipality given), by field of action, then district-wide first, then office.
   */
  async list(filter: {
    fieldOfAction?: FieldOfAction | null;
    municipality?: string | null;
  }): Promise<DirectoryEntry[]> {
    if (filter.municipality && !/^\d{8}$/.test(filter.municipality)) {
      throw badUserInput([{ field: 'municipality', message: 'must be an eight-digit municipality key (AGS)' }]);
    }
    const query = this.db.getRepository(DirectoryEntry).createQueryBuilder('e');
    if (filter.fieldOfAction) query.andWhere('e.field_of_action = :field', { field: filter.fieldOfAction });
    if (filter.municipality)
      query.andWhere('(e.municipality_ags = :ags OR e.municipality_ags IS NULL)', { ags: filter.municipality });
    const entries = await query
      .orderBy('e.municipality_ags', 'ASC', 'NULLS FIRST')
      .addOrderBy('e.office')
      .addOrderBy('e.id')
      .getMany();
    return entries.sort((a, b) => ORDER.indexOf(a.fieldOfAction) - ORDER.indexOf(b.fieldOfAction));
  }

  /** Makes or changes an entry of the caller's own agency; a municipality keeps entries for itself only. */
  async record(caller: Caller, input: DirectoryEntryInput): Promise<DirectoryEntry> {
    const municipality = input.municipality ?? null;
    if (caller.agency.kind === 'municipality' && municipality !== caller.agency.ags) {
      throw forbidden(
        `A municipality keeps directory entries for itself only (${caller.agency.ags}), not for ${municipality ?? 'the whole district'}`,
      );
    }
    const repository = this.db.getRepository(DirectoryEntry);
    const existing = input.id
      ? await repository.findOneBy({ id: input.id.toLowerCase(), agency: caller.agency.id })
      : null;
    if (input.id && !existing) throw notFound(`No directory entry ${input.id} of ${caller.agency.id}`);
    const entry = repository.create({
      ...(existing ?? {}),
      agency: caller.agency.id,
      fieldOfAction: input.fieldOfAction,
      municipalityAgs: municipality,
      office: input.office,
      contactName: input.contactName ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      address: input.address ?? null,
      hours: input.hours ?? null,
      updatedAt: new Date(),
      updatedBy: caller.officer,
    });
    return repository.save(entry);
  }

  /** Removes an entry of the caller's own agency. */
  async remove(caller: Caller, id: string): Promise<DirectoryEntry> {
    const repository = this.db.getRepository(DirectoryEntry);
    const entry = await repository.findOneBy({ id: id.toLowerCase(), agency: caller.agency.id });
    if (!entry) throw notFound(`No directory entry ${id} of ${caller.agency.id}`);
    await repository.delete({ id: entry.id });
    return Object.assign(repository.create(entry), { id: entry.id });
  }

  /** Whether an entry with this id is the caller agency's own (the OWN_AGENCY_ENTRIES write scope). */
  isOwn(caller: Caller, id: string): Promise<boolean> {
    return this.db.getRepository(DirectoryEntry).existsBy({ id, agency: caller.agency.id });
  }
}
