import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { BenefitKind } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';
import { DayColumn, EndDayColumn, RecordedByColumn } from '../../../common/db/period-columns.js';

/** A period of receipt of basic income support; `until` is null while it runs. */
@Entity('benefit')
@ObjectType('BenefitReceipt')
@Index(['personId'])
export class BenefitReceipt extends PersonRecord {
  @Column({ type: 'text' })
  @Field(() => BenefitKind)
  kind: BenefitKind;

  @DayColumn()
  since: string;

  @EndDayColumn()
  until: string | null;

  @Column({ type: 'int', name: 'household_size' })
  @Field(() => Int, { description: 'Persons in the joint household (Bedarfsgemeinschaft).' })
  householdSize: number;

  @RecordedByColumn()
  recordedBy: string;
}
