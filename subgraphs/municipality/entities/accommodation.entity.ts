import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { AccommodationType } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';

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

  @Column({ type: 'date' })
  @Field(() => LocalDateScalar)
  since: string;

  @Column({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Moved out on this day; null while the person lives here.',
  })
  until: string | null;

  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;
}
