import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CefrLevel, QualificationKind, Recognition } from '../entities/enums.js';

@InputType({ description: 'A language at a least level (CLEARING_LANGUAGE).' })
export class LanguageCriterion {
  @Field(() => String, { description: 'ISO 639-1 code, e.g. "de".' })
  @Matches(/^[a-z]{2}$/, { message: 'must be a two-letter language code (ISO 639-1)' })
  language: string;

  @Field(() => CefrLevel, { description: 'At least this level; NATIVE is above C2.' })
  atLeast: CefrLevel;
}

@InputType({ description: 'A qualification (CLEARING_EDUCATION); every part given must hold for one qualification.' })
export class QualificationCriterion {
  @Field(() => QualificationKind, { nullable: true })
  kind?: QualificationKind | null;

  @Field(() => String, { nullable: true, description: 'Part of the title, e.g. "Electric"; case does not matter.' })
  @IsOptional()
  @Length(2, 60)
  titleContains?: string | null;

  @Field(() => Recognition, {
    nullable: true,
    description: 'At least this recognition, in the order NOT_APPLIED and REJECTED < IN_PROGRESS < PARTIAL < FULL.',
  })
  recognitionAtLeast?: Recognition | null;
}

@InputType({
  description:
    'What a candidate must meet; every criterion given must hold. Each criterion uses a data category, and only persons ' +
    'whom the caller may see every used category of are searched at all.',
})
export class CandidateFilter {
  @Field(() => LanguageCriterion, { nullable: true })
  @IsOptional()
  @ValidateNested()
  language?: LanguageCriterion | null;

  @Field(() => QualificationCriterion, { nullable: true })
  @IsOptional()
  @ValidateNested()
  qualification?: QualificationCriterion | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Lives (current accommodation) in one of these municipalities (AGS) (HOUSING).',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^\d{8}$/, { each: true, message: 'must be eight-digit municipality keys (AGS)' })
  livingIn?: string[] | null;
}
