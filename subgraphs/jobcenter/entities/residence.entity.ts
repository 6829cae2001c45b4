import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { PersonRecord } from '../../../common/db/person-record.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/**
 * The municipality a client lives in, as the jobcenter's file records it; the open one (no `until`) is the
 * current one. The jobcenter counts its indicators per municipality by it.
 */
@Entity('client_residence')
@ObjectType('ClientResidence', {
  description: "The municipality a client lives in, as the jobcenter's file records it.",
})
export class ClientResidence extends PersonRecord {
  @Column({ type: 'char', length: 8, name: 'municipality_ags' })
  @Field(() => String, { description: 'Official municipality key (AGS), eight digits.' })
  municipalityAgs: string;

  @DayColumn()
  since: string;

  @EndDayColumn('Moved away on this day; null while the client lives there.')
  until: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
