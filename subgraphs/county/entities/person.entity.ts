import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Gated } from '../../../common/access/gated.js';
import { Contact } from '../../../common/integration/contact.type.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import { Gender, ResidenceStatus } from './enums.js';

/**
 * A person registered by the county. The county issues the opaque id every partner keys its records by.
 * Residence columns are exposed as the `residence` object (category RESIDENCE) by the person resolver.
 */
@Entity('person')
@ObjectType('Person', { description: 'A refugee known to the district; every partner adds what it knows.' })
@Directive('@key(fields: "id")')
export class Person {
  @PrimaryColumn({ type: 'uuid' })
  @Field(() => ID)
  id: string;

  @Column({ type: 'text', name: 'given_name' })
  @Field(() => String, { nullable: true })
  @Gated('IDENTITY')
  givenName: string;

  @Column({ type: 'text', name: 'family_name' })
  @Field(() => String, { nullable: true })
  @Gated('IDENTITY')
  familyName: string;

  @Column({ type: 'date', name: 'date_of_birth' })
  @Field(() => LocalDateScalar, { nullable: true })
  @Gated('IDENTITY')
  dateOfBirth: string;

  @Column({ type: 'text' })
  @Field(() => Gender, { nullable: true })
  @Gated('IDENTITY')
  gender: Gender;

  @Column({ type: 'char', length: 3 })
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-3 country code.' })
  @Gated('IDENTITY')
  nationality: string;

  @Column({ type: 'text', name: 'residence_status' })
  residenceStatus: ResidenceStatus;

  @Column({ type: 'date', name: 'residence_valid_until', nullable: true })
  residenceValidUntil: string | null;

  @Column({ type: 'date', name: 'arrival_date' })
  arrivalDate: string;

  @Index()
  @Column({ type: 'char', length: 8, name: 'assigned_municipality_ags', nullable: true })
  assignedMunicipalityAgs: string | null;

  @Column({ type: 'timestamptz', name: 'registered_at' })
  registeredAt: Date;

  @Column({ type: 'text', name: 'registered_by' })
  registeredBy: string;

  // The partners' shares of `contacts`, each decided and recorded by its partner; the gateway brings them
  // here (`@requires`) so that one list answers. Never read from the county's database.
  @Field(() => [Contact])
  @Directive('@external')
  municipalityContacts?: Contact[];

  @Field(() => [Contact])
  @Directive('@external')
  jobcenterContacts?: Contact[];

  @Field(() => [Contact])
  @Directive('@external')
  socialcareContacts?: Contact[];
}
