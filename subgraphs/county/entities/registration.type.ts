import { Field, ID, ObjectType } from 'type-graphql';

/** What a partner learns before it writes about a person: that the county issued the id, and whether the county assigned the person to the caller's municipality. */
@ObjectType('Registration')
export class Registration {
  @Field(() => ID)
  id: string;

  @Field(() => Boolean, { description: "True when the county assigned the person to the caller's own municipality." })
  assignedToCaller: boolean;
}
