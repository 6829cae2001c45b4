import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { BenefitKind } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';

/** A period of receipt of basic income support; `until` is null while it runs. */
@Entity('benefit')
@ObjectType('BenefitReceipt')
@Index(['personId'])
export class BenefitReceipt extends PersonRecord {
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
