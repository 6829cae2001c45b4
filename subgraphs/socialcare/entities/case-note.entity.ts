import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A caseworker's note. Case notes never leave the organisation that wrote them; they are not on Person. */
@Entity('case_note')
@ObjectType('CaseNote')
export class CaseNote {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Index()
  @Column({ type: 'uuid', name: 'person_id' })
  @Field(() => ID)
  personId: string;

  @Column({ type: 'text', name: 'organisation_id' })
  organisationId: string;

  @Column({ type: 'text' })
  @Field(() => String, { description: 'The pseudonymous officer id of the caseworker who wrote it.' })
  author: string;

  @Column({ type: 'text' })
  @Field(() => String)
  text: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}
