import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { EmploymentState, MeasureKind } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/** One entry of a person's employment history; the entry with the latest `since` is the current status. */
@Entity('employment_status')
@ObjectType('EmploymentStatus')
@Index(['personId'])
export class EmploymentStatus extends PersonRecord {
  @Column({ type: 'text' })
  @Field(() => EmploymentState)
  status: EmploymentState;

  @DayColumn()
  since: string;

  @Column({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Employer or training company, when employed or in training.' })
  employer: string | null;

  @RecordedByColumn()
  recordedBy: string;

  @Column({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt: Date;
}

/** A measure or placement the jobcenter arranged. */
@Entity('measure')
@ObjectType('Measure')
@Index(['personId'])
export class Measure extends PersonRecord {
  @Column({ type: 'text' })
  @Field(() => MeasureKind)
  kind: MeasureKind;

  @Column({ type: 'text' })
  @Field(() => String)
  title: string;

  @Column({ type: 'text' })
  @Field(() => String)
  provider: string;

  @DayColumn()
  starts: string;

  @EndDayColumn()
  ends: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
