import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsUUID } from 'class-validator';
import { LocalDateScalar } from '../scalars.js';
import { IsPastLocalDate } from '../validation.js';
import { FieldOfAction } from './field-of-action.js';

/**
 * A person's responsible contact at one partner for one field of action. The officer's name, phone and email
 * are staff data, stored once per partner; that the person has this contact is the person's data, released
 * under the partner's category for that work.
 */
@ObjectType('Contact')
@Directive('@shareable')
export class Contact {
  @Field(() => FieldOfAction)
  fieldOfAction: FieldOfAction;

  @Field(() => String, {
    description: 'The partner office, e.g. "Jobcenter Landkreis Lindenau" or "Caritasverband Lindenau".',
  })
  partner: string;

  @Field(() => String, { description: 'The agency, as tokens name it, e.g. "jobcenter" or "socialcare:caritas".' })
  agency: string;

  @Field(() => String, { description: "The officer's name." })
  name: string;

  @Field(() => String, { description: 'e.g. "Placement officer" or "Integration guide (Integrationslotse)".' })
  role: string;

  @Field(() => String, { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => LocalDateScalar, { description: 'Responsible since.' })
  since: string;
}

/** A contact assignment as a partner records it (the answer of its own assign and end mutations). */
@ObjectType('ContactAssignment')
@Directive('@shareable')
export class ContactAssignmentRecord {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => FieldOfAction)
  fieldOfAction: FieldOfAction;

  @Field(() => ID, { description: "The staff member (of the caller's own agency)." })
  staffId: string;

  @Field(() => LocalDateScalar)
  since: string;

  @Field(() => LocalDateScalar, { nullable: true })
  until: string | null;
}

@InputType({ description: "Makes one of the caller's own staff the person's contact for a field of action." })
export class AssignContactInput {
  @Field(() => FieldOfAction)
  fieldOfAction: FieldOfAction;

  @Field(() => ID)
  @IsUUID()
  staffId: string;

  @Field(() => LocalDateScalar)
  @IsPastLocalDate()
  since: string;
}
