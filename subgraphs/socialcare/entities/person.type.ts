import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';

/** The county's person, extended here with social care; this subgraph keys its records by the county's id. */
@ObjectType('Person')
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID)
  id: string;
}

/** A person's current counselling: the open assignment to a caseworker of a welfare organisation. */
@ObjectType('SocialCareCase')
export class SocialCareCase {
  personId: string;
  organisationId: string;
  caseworkerId: string;

  @Field(() => LocalDateScalar, { description: 'Since when the caseworker counsels the person.' })
  since: string;
}
