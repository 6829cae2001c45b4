import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The county's person, which the jobcenter extends with what it records; only the key lives here. */
@ObjectType('Person')
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id: string;
}
