import { IsNull, type EntityManager } from 'typeorm';
import type { Caller } from '../../../common/domain.js';
import { badUserInput, notFound, type FieldProblem } from '../../../common/errors.js';
import { checkDates } from '../../../common/validation.js';
import { BenefitReceipt } from '../entities/benefit.entity.js';
import { IntegrationCourse } from '../entities/course.entity.js';
import { EmploymentStatus, Measure } from '../entities/employment.entity.js';
import { CourseStatus, EmploymentState } from '../entities/enums.js';
import type { Person } from '../entities/person.type.js';
import type {
  BenefitInput,
  EmploymentStatusInput,
  IntegrationCourseInput,
  IntegrationCourseUpdateInput,
  MeasureInput,
} from '../inputs/jobcenter.input.js';

const WITH_EMPLOYER: readonly EmploymentState[] = [EmploymentState.EMPLOYED, EmploymentState.IN_TRAINING];
const FINISHED: readonly CourseStatus[] = [CourseStatus.COMPLETED, CourseStatus.ABORTED];

function checkPeriod(
  problems: FieldProblem[],
  starts: string,
  ends: string | null | undefined,
  endsField = 'ends',
): void {
  if (ends && ends < starts) problems.push({ field: endsField, message: 'must not be before the start' });
}

/** The state rules of a course, whether recorded whole or updated: results only for completed courses. */
function checkCourse(
  problems: FieldProblem[],
  course: { status: CourseStatus; resultLevel: string | null; starts: string; ends: string | null },
): void {
  if (course.status === CourseStatus.COMPLETED && !course.resultLevel) {
    problems.push({ field: 'resultLevel', message: 'is required for a COMPLETED course' });
  }
  if (course.status !== CourseStatus.COMPLETED && course.resultLevel) {
    problems.push({ field: 'resultLevel', message: 'is only recorded for a COMPLETED course' });
  }
  if (FINISHED.includes(course.status)) {
    if (!course.ends) problems.push({ field: 'ends', message: `is required for a ${course.status} course` });
    else checkDates(problems, [['ends', course.ends, 'past']]);
  }
  checkPeriod(problems, course.starts, course.ends);
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The jobcenter's records of employment, measures, integration courses and benefit receipt. */
export class JobcenterService {
  constructor(private readonly db: EntityManager) {}

  /** Persons the jobcenter has any record of, by id; with `status`, those whose current status it is. */
  async caseload(options: { first: number; offset: number; status?: EmploymentState | null }): Promise<Person[]> {
    const rows: { person_id: string }[] = options.status
      ? await this.db.query(
          `SELECT person_id FROM (
             SELECT DISTINCT ON (person_id) person_id, status FROM employment_status
             ORDER BY person_id, since DESC, recorded_at DESC, id
           ) current WHERE status = $1 ORDER BY person_id LIMIT $2 OFFSET $3`,
          [options.status, options.first, options.offset],
        )
      : await this.db.query(
          `SELECT person_id FROM (
             SELECT person_id FROM employment_status UNION SELECT person_id FROM measure
             UNION SELECT person_id FROM integration_course UNION SELECT person_id FROM benefit
           ) known ORDER BY person_id LIMIT $1 OFFSET $2`,
          [options.first, options.offset],
        );
    return rows.map((row) => ({ id: row.person_id }));
  }

  async recordEmploymentStatus(
    caller: Caller,
    personId: string,
    input: EmploymentStatusInput,
  ): Promise<EmploymentStatus> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['since', input.since, 'past']]);
    const employer = input.employer?.trim() || null;
    if (WITH_EMPLOYER.includes(input.status) && !employer) {
      problems.push({ field: 'employer', message: `is required for ${input.status}` });
    }
    if (!WITH_EMPLOYER.includes(input.status) && employer) {
      problems.push({ field: 'employer', message: 'is only recorded when EMPLOYED or IN_TRAINING' });
    }
    if (problems.length) throw badUserInput(problems);
    const repository = this.db.getRepository(EmploymentStatus);
    return repository.save(
      repository.create({
        personId,
        status: input.status,
        since: input.since,
        employer,
        recordedBy: caller.officer,
        recordedAt: new Date(),
      }),
    );
  }

  async recordMeasure(caller: Caller, personId: string, input: MeasureInput): Promise<Measure> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['starts', input.starts, 'any']]);
    checkDates(problems, [['ends', input.ends, 'any']]);
    checkPeriod(problems, input.starts, input.ends);
    if (problems.length) throw badUserInput(problems);
    const repository = this.db.getRepository(Measure);
    return repository.save(
      repository.create({
        personId,
        kind: input.kind,
        title: input.title.trim(),
        provider: input.provider.trim(),
        starts: input.starts,
        ends: input.ends ?? null,
        recordedBy: caller.officer,
      }),
    );
  }

  async recordIntegrationCourse(
    caller: Caller,
    personId: string,
    input: IntegrationCourseInput,
  ): Promise<IntegrationCourse> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['starts', input.starts, 'any']]);
    checkCourse(problems, {
      status: input.status,
      resultLevel: input.resultLevel ?? null,
      starts: input.starts,
      ends: input.ends ?? null,
    });
    if (problems.length) throw badUserInput(problems);
    const repository = this.db.getRepository(IntegrationCourse);
    return repository.save(
      repository.create({
        personId,
        courseType: input.courseType,
        status: input.status,
        targetLevel: input.level,
        resultLevel: input.resultLevel ?? null,
        starts: input.starts,
        ends: input.ends ?? null,
        recordedBy: caller.officer,
      }),
    );
  }

  /** Records a course's progress; a finished course is not reopened. */
  async updateIntegrationCourse(
    caller: Caller,
    id: string,
    input: IntegrationCourseUpdateInput,
  ): Promise<IntegrationCourse> {
    return this.db.transaction(async (manager) => {
      const repository = manager.getRepository(IntegrationCourse);
      const course = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!course) throw notFound(`No integration course with id ${id}`);
      const next = {
        status: input.status,
        resultLevel: input.resultLevel ?? null,
        starts: course.starts,
        ends: input.ends !== undefined ? input.ends : course.ends,
      };
      const problems: FieldProblem[] = [];
      if (FINISHED.includes(course.status) && next.status !== course.status) {
        problems.push({ field: 'status', message: `a ${course.status} course is not reopened; record a new course` });
      }
      checkCourse(problems, next);
      if (problems.length) throw badUserInput(problems);
      Object.assign(course, next, { recordedBy: caller.officer });
      return repository.save(course);
    });
  }

  /**
   * Opens a new receipt of basic income support and ends the running one of the same kind the day before,
   * in one transaction, so that a person never has two running receipts of a kind.
   */
  async recordBenefit(caller: Caller, personId: string, input: BenefitInput): Promise<BenefitReceipt> {
    const problems: FieldProblem[] = [];
    checkDates(problems, [['since', input.since, 'past']]);
    if (problems.length) throw badUserInput(problems);
    return this.db.transaction(async (manager) => {
      // Serialises writers for this person and kind, also when no receipt is running yet.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`benefit:${personId}:${input.kind}`]);
      const repository = manager.getRepository(BenefitReceipt);
      const running = await repository.findOne({ where: { personId, kind: input.kind, until: IsNull() } });
      if (running) {
        if (running.since >= input.since) {
          throw badUserInput([
            { field: 'since', message: `must be after the start of the running receipt (${running.since})` },
          ]);
        }
        running.until = dayBefore(input.since);
        await repository.save(running);
      }
      return repository.save(
        repository.create({
          personId,
          kind: input.kind,
          since: input.since,
          until: null,
          householdSize: input.householdSize,
          recordedBy: caller.officer,
        }),
      );
    });
  }
}
