import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { FieldOfAction } from '../../../common/integration/field-of-action.js';
import { MunicipalityReference } from './residence.type.js';

/**
 * One line of the district's guide of responsibilities: which office of which partner is responsible for a
 * field of action in a municipality (or the whole district). No person data; each partner keeps its own lines.
 */
@Entity('directory_entry')
@ObjectType('DirectoryEntry', {
  description: 'Who is responsible for a field of action in a municipality (or the whole district).',
})
export class DirectoryEntry {
  @PrimaryGeneratedColumn('uuid')
  @Field(() => ID)
  id: string;

  /** The agency that keeps this line, as tokens name it; only it changes it. */
  @Column({ type: 'text' })
  @Field(() => String, {
    description: 'The partner that keeps this entry, e.g. "jobcenter" or "municipality:08999001".',
  })
  agency: string;

  @Column({ type: 'text', name: 'field_of_action' })
  @Field(() => FieldOfAction)
  fieldOfAction: FieldOfAction;

  @Column({ type: 'char', length: 8, name: 'municipality_ags', nullable: true })
  municipalityAgs: string | null;

  @Column({ type: 'text' })
  @Field(() => String, {
    description: 'The responsible office, e.g. "Jobcenter Landkreis Lindenau, Team Integration".',
  })
  office: string;

  @Column({ type: 'text', name: 'contact_name', nullable: true })
  @Field(() => String, { nullable: true, description: 'A named contact person of the office, if it has one.' })
  contactName: string | null;

  @Column({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  address: string | null;

  @Column({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Opening or consultation hours, as the office states them.' })
  hours: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  @Field(() => GraphQLDateTimeISO)
  updatedAt: Date;

  @Column({ type: 'text', name: 'updated_by' })
  updatedBy: string;

  /** Entries are about no person: their changes are recorded as such. */
  readonly personId = null;
}

/** The municipality an entry is for; null: the whole district. */
export function entryMunicipality(entry: DirectoryEntry): MunicipalityReference | null {
  return entry.municipalityAgs ? { ags: entry.municipalityAgs } : null;
}
