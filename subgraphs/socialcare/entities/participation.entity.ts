import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { PersonRecord } from '../../../common/db/person-record.js';
import { ParticipationKind } from './enums.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/** An organisation's record of a person taking part in an offer, from a day until a day (monitoring only). */
@Entity('participation')
@ObjectType('Participation')
@Index(['personId'])
export class Participation extends PersonRecord {
  @Column({ type: 'text', name: 'organisation_id' })
  organisationId: string;

  @Column({ type: 'text' })
  @Field(() => ParticipationKind)
  kind: ParticipationKind;

  @DayColumn()
  since: string;

  @EndDayColumn()
  until: string | null;

  @RecordedByColumn()
  recordedBy: string;
}
