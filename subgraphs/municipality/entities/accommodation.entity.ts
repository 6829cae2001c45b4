import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { AccommodationType } from './enums.js';

/** One stay of a person in accommodation of a municipality; the open one (no `until`) is the current one. */
@Entity('accommodation')
@ObjectType('Accommodation')
export class Accommodation {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

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
  @Field(() => LocalDateScalar, { nullable: true, description: 'Moved out on this day; null while the person lives here.' })
  until: string | null;

  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;
}
