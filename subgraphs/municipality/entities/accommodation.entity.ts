import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { AccommodationType } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/** One stay of a person in accommodation of a municipality; the open one (no `until`) is the current one. */
@Entity('accommodation')
@ObjectType('Accommodation')
export class Accommodation extends PersonRecord {
  @Column({ type: 'char', length: 8, name: 'municipality_ags' })
  municipalityAgs: string;

  @Column({ type: 'text' })
  @Field(() => AccommodationType)
  type: AccommodationType;

  @Column({ type: 'text' })
  @Field(() => String)
  address: string;

  @DayColumn()
  since: string;

  @EndDayColumn('Moved out on this day; null while the person lives here.')
  until: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
