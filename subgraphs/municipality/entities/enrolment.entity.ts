import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { EnrolmentKind } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/** A childcare place or school enrolment a municipality recorded, current (no `until`) or past. */
@Entity('enrolment')
@ObjectType('Enrolment')
export class Enrolment extends PersonRecord {
  @Column({ type: 'char', length: 8, name: 'municipality_ags' })
  municipalityAgs: string;

  @Column({ type: 'text' })
  @Field(() => EnrolmentKind)
  kind: EnrolmentKind;

  @Column({ type: 'text' })
  @Field(() => String, { description: 'The Kita or school.' })
  institution: string;

  @Column({ type: 'int', nullable: true })
  @Field(() => Int, { nullable: true, description: 'School grade (Klassenstufe); null for childcare.' })
  grade: number | null;

  @DayColumn()
  since: string;

  @EndDayColumn()
  until: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
