import type { EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import { badUserInput, notFound, type FieldProblem } from '../../../common/errors.js';
import { today } from '../../../common/scalars.js';
import { Enrolment } from '../entities/enrolment.entity.js';
import { EnrolmentKind } from '../entities/enums.js';
import type { EnrolmentInput } from '../inputs/enrolment.input.js';
import { callerAgs } from './housing.service.js';

/** Childcare places and school enrolments a municipality records. */
export class EnrolmentService {
  constructor(private readonly db: EntityManager) {}

  async record(caller: Caller, personId: string, input: EnrolmentInput): Promise<Enrolment> {
    const problems: FieldProblem[] = [];
    if (input.kind === EnrolmentKind.CHILDCARE && input.grade != null) {
      problems.push({ field: 'grade', message: 'must be empty for CHILDCARE' });
    }
    if (problems.length) throw badUserInput(problems);
    const repository = this.db.getRepository(Enrolment);
    return repository.save(
      repository.create({
        personId,
        municipalityAgs: callerAgs(caller),
        kind: input.kind,
        institution: input.institution.trim(),
        grade: input.grade ?? null,
        since: input.since,
        until: null,
        recordedBy: caller.officer,
      }),
    );
  }

  /**
   * Ends a current enrolment of the caller's own municipality. Another municipality's enrolment is
   * NOT_FOUND, exactly like a missing one, so the answer reveals nothing about it.
   */
  async end(caller: Caller, id: string, until: string): Promise<Enrolment> {
    const ags = callerAgs(caller);
    return this.db.transaction(async (manager) => {
      const repository = manager.getRepository(Enrolment);
      const enrolment = await repository.findOne({
        where: { id, municipalityAgs: ags },
        lock: { mode: 'pessimistic_write' },
      });
      if (!enrolment) throw notFound(`No enrolment ${id} in this municipality`);
      const problems: FieldProblem[] = [];
      if (enrolment.until !== null) problems.push({ field: 'id', message: `has already ended on ${enrolment.until}` });
      if (until > today()) problems.push({ field: 'until', message: 'must not be in the future' });
      else if (until < enrolment.since)
        problems.push({ field: 'until', message: `must not be before the start, ${enrolment.since}` });
      if (problems.length) throw badUserInput(problems);
      enrolment.until = until;
      return repository.save(enrolment);
    });
  }
}
