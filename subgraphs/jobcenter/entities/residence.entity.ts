import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';

/**
 * The municipality a client lives in, as the jobcenter's file records it; the open one (no `until`) is the
 * current one. The jobcenter counts its indicators per municipality by it.
 */
@Entity('client_residence')
@ObjectType('ClientResidence', { description: "The municipality a client lives in, as the jobcenter's file records it." })
export class ClientResidence {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;

  @Column({ type: 'char', length: 8, name: 'municipality_ags' })
  @Field(() => String, { description: 'Official municipality key (AGS), eight digits.' })
  municipalityAgs: string;

  @Column({ type: 'date' })
  @Field(() => LocalDateScalar)
  since: string;

  @Column({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'Moved away on this day; null while the client lives there.' })
  until: string | null;

  @Column({ type: 'text', name: 'recorded_by' })
  recordedBy: string;
}
