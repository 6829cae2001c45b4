import {
  ArrayMaxSize,
  IsOptional,
  Length,
  Matches,
  MaxLength,
  Min,
  Max,
  IsInt,
  ValidateNested,
  IsNumber,
} from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import { CefrLevel, Gender, QualificationKind, Recognition, ResidenceStatus, SchoolDegree } from '../entities/enums.js';

const NAME = /^[\p{L}][\p{L}\p{M}' .-]*$/u;
const ALPHA3 = /^[A-Z]{3}$/;
const AGS = /^\d{8}$/;

@InputType()
export class ResidenceInput {
  @Field(() => ResidenceStatus)
  status: ResidenceStatus;

  @Field(() => LocalDateScalar, { nullable: true })
  validUntil?: string | null;

  @Field(() => String, { nullable: true, description: 'Eight-digit official municipality key.' })
  @IsOptional()
  @Matches(AGS, { message: 'must be an eight-digit municipality key (AGS)' })
  assignedMunicipalityAgs?: string | null;
}

@InputType()
export class RegisterPersonInput {
  @Field(() => String)
  @Length(1, 100)
  @Matches(NAME, { message: 'must be a name: letters, spaces, hyphens, apostrophes' })
  givenName: string;

  @Field(() => String)
  @Length(1, 100)
  @Matches(NAME, { message: 'must be a name: letters, spaces, hyphens, apostrophes' })
  familyName: string;

  @Field(() => LocalDateScalar)
  dateOfBirth: string;

  @Field(() => Gender)
  gender: Gender;

  @Field(() => String, { description: 'ISO 3166-1 alpha-3, e.g. SYR, AFG, UKR.' })
  @Matches(ALPHA3, { message: 'must be an ISO 3166-1 alpha-3 code in capitals, e.g. SYR' })
  nationality: string;

  @Field(() => LocalDateScalar)
  arrivalDate: string;

  @Field(() => ResidenceInput)
  @ValidateNested()
  residence: ResidenceInput;
}

@InputType()
export class LanguageSkillInput {
  @Field(() => String)
  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 code in lower case, e.g. de' })
  language: string;

  @Field(() => CefrLevel)
  level: CefrLevel;
}

@InputType()
export class QualificationInput {
  @Field(() => String)
  @Length(1, 200)
  title: string;

  @Field(() => QualificationKind)
  kind: QualificationKind;

  @Field(() => String)
  @Matches(ALPHA3, { message: 'must be an ISO 3166-1 alpha-3 code in capitals' })
  country: string;

  @Field(() => Recognition)
  recognition: Recognition;
}

@InputType()
export class WorkExperienceInput {
  @Field(() => String)
  @Length(1, 200)
  occupation: string;

  @Field(() => Float)
  @IsNumber()
  @Min(0)
  @Max(60)
  years: number;
}

/** One clearing interview: replaces the person's clearing profile, languages and qualifications at once. */
@InputType()
export class ClearingInput {
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(25)
  schoolYears: number;

  @Field(() => SchoolDegree)
  schoolDegree: SchoolDegree;

  @Field(() => [String])
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  interests: string[];

  @Field(() => [String])
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  goals: string[];

  @Field(() => LocalDateScalar)
  clearedOn: string;

  @Field(() => [LanguageSkillInput])
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  languages: LanguageSkillInput[];

  @Field(() => [QualificationInput])
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  qualifications: QualificationInput[];

  @Field(() => [WorkExperienceInput])
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  workExperience: WorkExperienceInput[];
}
