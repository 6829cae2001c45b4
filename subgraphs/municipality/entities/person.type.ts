import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The county's Person, extended here with housing and childcare/school; this subgraph keeps only the id. */
@ObjectType('Person')
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id: string;
}
