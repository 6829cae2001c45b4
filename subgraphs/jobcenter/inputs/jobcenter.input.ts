import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LocalDateScalar } from '../../../common/scalars.js';
import {
  BenefitKind,
  COURSE_LEVEL,
  CourseStatus,
  CourseType,
  EmploymentState,
  MeasureKind,
} from '../entities/enums.js';

const LEVEL_MESSAGE = 'must be a CEFR level from A1 to C2';

@InputType()
export class EmploymentStatusInput {
  @Field(() => EmploymentState)
  status: EmploymentState;

  @Field(() => LocalDateScalar)
  since: string;

  @Field(() => String, { nullable: true, description: 'Required when EMPLOYED or IN_TRAINING.' })
  @IsOptional()
  @Length(1, 200)
  employer?: string | null;
}

@InputType()
export class MeasureInput {
  @Field(() => MeasureKind)
  kind: MeasureKind;

  @Field(() => String)
  @Length(1, 200)
  title: string;

  @Field(() => String)
  @Length(1, 200)
  provider: string;

  @Field(() => LocalDateScalar)
  starts: string;

  @Field(() => LocalDateScalar, { nullable: true })
  ends?: string | null;
}

@InputType()
export class IntegrationCourseInput {
  @Field(() => CourseType)
  courseType: CourseType;

  @Field(() => CourseStatus)
  status: CourseStatus;

  @Field(() => String, { description: 'Target CEFR level, A1 to C2.' })
  @Matches(COURSE_LEVEL, { message: LEVEL_MESSAGE })
  level: string;

  @Field(() => String, { nullable: true, description: 'Certified CEFR level; required once COMPLETED.' })
  @IsOptional()
  @Matches(COURSE_LEVEL, { message: LEVEL_MESSAGE })
  resultLevel?: string | null;

  @Field(() => LocalDateScalar)
  starts: string;

  @Field(() => LocalDateScalar, { nullable: true })
  ends?: string | null;
}

/** The course's progress: a new status, and the result and end once it is over. */
@InputType()
export class IntegrationCourseUpdateInput {
  @Field(() => CourseStatus)
  status: CourseStatus;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(COURSE_LEVEL, { message: LEVEL_MESSAGE })
  resultLevel?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  ends?: string | null;
}

@InputType()
export class BenefitInput {
  @Field(() => BenefitKind, { defaultValue: BenefitKind.SGB_II_CITIZENS_BENEFIT })
  kind: BenefitKind;

  @Field(() => LocalDateScalar)
  since: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(30)
  householdSize: number;
}
