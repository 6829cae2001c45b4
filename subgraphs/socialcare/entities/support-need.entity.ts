import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { SupportField } from './enums.js';

/** A support need an organisation works on with its client, by field of action. */
@Entity('support_need')
@ObjectType('SupportNeed')
export class SupportNeed {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Index()
  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

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
