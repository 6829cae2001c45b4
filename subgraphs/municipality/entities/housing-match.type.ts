import { Field, ID, ObjectType } from 'type-graphql';

/** A person of a candidate search who lives in one of the asked municipalities (for the county's search only). */
@ObjectType('HousingMatch')
export class HousingMatch {
  @Field(() => ID)
  personId: string;

  @Field(() => String, { description: 'The municipality (AGS) of the current accommodation.' })
  municipality: string;
}
