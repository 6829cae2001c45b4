import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { SupportField } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';

/** A support need an organisation works on with its client, by field of action. */
@Entity('support_need')
@ObjectType('SupportNeed')
@Index(['personId'])
export class SupportNeed extends PersonRecord {
  @Column({ type: 'text', name: 'organisation_id' })
  organisationId: string;

  @Column({ type: 'text' })
  @Field(() => SupportField)
  field: SupportField;

  @Column({ type: 'text' })
  @Field(() => String)
  description: string;

  @Column({ type: 'date', name: 'opened_on' })
  @Field(() => LocalDateScalar)
  openedOn: string;

  @Column({ type: 'date', name: 'closed_on', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  closedOn: string | null;
}
