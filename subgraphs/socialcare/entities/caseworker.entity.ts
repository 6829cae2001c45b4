import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A caseworker of a welfare organisation: the person's contact for social counselling. */
@Entity('caseworker')
@ObjectType('Caseworker')
export class Caseworker {
  @PrimaryColumn({ type: 'uuid' })
  @Field(() => ID)
  id: string;

  @Index()
  @Column({ type: 'text', name: 'organisation_id' })
  organisationId: string;

  @Column({ type: 'text' })
  @Field(() => String)
  name: string;

  @Column({ type: 'text' })
  @Field(() => String)
  phone: string;

  @Column({ type: 'text' })
  @Field(() => String)
  email: string;
}
