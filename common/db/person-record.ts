import { Field, ID, ObjectType } from 'type-graphql';
import { Column, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The start of every record a subgraph keeps about a person: its own id (GraphQL `ID`) and the person's id
 * (column `person_id`, not a GraphQL field: the record is reached through its Person). An entity that looks
 * its records up by person alone adds `@Index(['personId'])`; the columns are exactly those the migrations
 * create.
 */
// An object type only so that type-graphql gives its fields to the subclasses; no field returns it, so the
// schema never shows it.
@ObjectType()
export abstract class PersonRecord {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  @Column({ type: 'uuid', name: 'person_id' })
  personId: string;
}
