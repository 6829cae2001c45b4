import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LocalDateScalar } from '../../../common/scalars.js';
import { CefrLevel, QualificationKind, Recognition, SchoolDegree } from './enums.js';
import { PersonRecord } from '../../../common/db/person-record.js';
import { RecordedByColumn } from '../../../common/db/period-columns.js';

/** The clearing office's one-off record of a person's schooling, interests and goals. */
@Entity('clearing_profile')
export class ClearingProfileRow {
  @PrimaryColumn({ type: 'uuid', name: 'person_id' })
  personId: string;

  @Column({ type: 'int', name: 'school_years' })
  schoolYears: number;

  @Column({ type: 'text', name: 'school_degree' })
  schoolDegree: SchoolDegree;

  @Column({ type: 'text', array: true })
  interests: string[];

  @Column({ type: 'text', array: true })
  goals: string[];

  @Column({ type: 'date', name: 'completed_on' })
  completedOn: string;

  @RecordedByColumn()
  recordedBy: string;
}

@Entity('language_skill')
@ObjectType('LanguageSkill')
@Index(['personId'])
export class LanguageSkill extends PersonRecord {
  @Column({ type: 'text' })
  @Field(() => String, { description: 'ISO 639-1 language code, e.g. "de", "ar", "uk".' })
  language: string;

  @Column({ type: 'text' })
  @Field(() => CefrLevel)
  level: CefrLevel;
}

@Entity('qualification')
@ObjectType('Qualification')
@Index(['personId'])
export class Qualification extends PersonRecord {
  @Column({ type: 'text' })
  @Field(() => String)
  title: string;

  @Column({ type: 'text' })
  @Field(() => QualificationKind)
  kind: QualificationKind;

  @Column({ type: 'char', length: 3 })
  @Field(() => String, { description: 'Country where it was acquired, ISO 3166-1 alpha-3.' })
  country: string;

  @Column({ type: 'text' })
  @Field(() => Recognition)
  recognition: Recognition;
}

@Entity('work_experience')
@ObjectType('WorkExperience')
@Index(['personId'])
export class WorkExperience extends PersonRecord {
  @Column({ type: 'text' })
  @Field(() => String)
  occupation: string;

  @Column({
    type: 'numeric',
    precision: 4,
    scale: 1,
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  @Field(() => Float)
  years: number;
}

/** The clearing profile as the graph shows it; each part is gated by its own category. */
@ObjectType('ClearingProfile')
export class ClearingProfile {
  personId: string;
}

@ObjectType('Schooling')
export class Schooling {
  @Field(() => Int)
  years: number;

  @Field(() => SchoolDegree)
  degree: SchoolDegree;

  @Field(() => LocalDateScalar, { description: 'When the clearing interview took place.' })
  clearedOn: string;
}
