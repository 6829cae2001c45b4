import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { BenefitKind } from './enums.js';

/** A period of receipt of basic income support; `until` is null while it runs. */
@Entity('benefit')
@ObjectType('BenefitReceipt')
export class BenefitReceipt {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Index()
  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

  @Column({ type: 'text' })
  @Field(() => BenefitKind)
  kind: BenefitKind;

  @Column({ type: 'date' })
  @Field(() => LocalDateScalar)
  since: string;

  @Column({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  until: string | null;

  @Column({ type: 'int', name: 'household_size' })
  @Field(() => Int, { description: 'Persons in the joint household (Bedarfsgemeinschaft).' })
  householdSize: number;

  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;
}
