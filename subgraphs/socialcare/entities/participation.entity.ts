import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { PersonRecord } from '../../../common/db/person-record.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import { ParticipationKind } from './enums.js';

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

  @Column({ type: 'date' })
  @Field(() => LocalDateScalar)
  since: string;

  @Column({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  until: string | null;

  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;
}
