import { Field, ID, ObjectType } from 'type-graphql';
import { Gated } from '../../../common/access/gated.js';
import { LocalDateScalar } from '../../../common/scalars.js';

/** What a partner learns before it writes about a person: that the county issued the id, and whether the county assigned the person to the caller's municipality. */
@ObjectType('Registration')
export class Registration {
  @Field(() => ID)
  id: string;

  @Field(() => Boolean, { description: "True when the county assigned the person to the caller's own municipality." })
  assignedToCaller: boolean;

  /**
   * The date of birth, for the consent registry's check that a consent was not given before the person was
   * born. Identity data: decided and logged like the person's own field.
   */
  @Field(() => LocalDateScalar, { nullable: true })
  @Gated('IDENTITY')
  dateOfBirth?: string;
}
