import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Gated } from '../../../common/access/gated.js';
import { requirePage, requirePersonId } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { BenefitReceipt } from '../entities/benefit.entity.js';
import { IntegrationCourse } from '../entities/course.entity.js';
import { EmploymentStatus, Measure } from '../entities/employment.entity.js';
import { EmploymentState } from '../entities/enums.js';
import { Person } from '../entities/person.type.js';
import {
  BenefitInput,
  EmploymentStatusInput,
  IntegrationCourseInput,
  IntegrationCourseUpdateInput,
  MeasureInput,
} from '../inputs/jobcenter.input.js';
import type { JobcenterLoaders } from '../loaders/jobcenter.loaders.js';
import { JobcenterService } from '../services/jobcenter.service.js';

type Context = SubgraphContext<JobcenterLoaders>;

/** What the jobcenter adds to a person, and its writes. */
@Resolver(() => Person)
export class PersonResolver {
  @Query(() => [Person], { description: "The jobcenter's caseload: persons it has records of, by id." })
  jobcenterCaseload(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Arg('status', () => EmploymentState, { nullable: true, description: 'Only persons whose current status this is.' })
    status?: EmploymentState | null,
  ): Promise<Person[]> {
    requirePage(first, offset);
    return new JobcenterService(ctx.db).caseload({ first, offset, status });
  }

  @FieldResolver(() => EmploymentStatus, { nullable: true, description: 'The current employment status.' })
  @Gated('EMPLOYMENT')
  async employment(@Root() person: Person, @Ctx() ctx: Context): Promise<EmploymentStatus | null> {
    return (await ctx.loaders.employment.load(person.id))[0] ?? null;
  }

  @FieldResolver(() => [EmploymentStatus], { nullable: true, description: 'Employment statuses, newest first.' })
  @Gated('EMPLOYMENT')
  employmentHistory(@Root() person: Person, @Ctx() ctx: Context): Promise<EmploymentStatus[]> {
    return ctx.loaders.employment.load(person.id);
  }

  @FieldResolver(() => [Measure], { nullable: true, description: 'Measures and placements, newest first.' })
  @Gated('EMPLOYMENT')
  measures(@Root() person: Person, @Ctx() ctx: Context): Promise<Measure[]> {
    return ctx.loaders.measures.load(person.id);
  }

  @FieldResolver(() => IntegrationCourse, { nullable: true, description: 'The latest integration course.' })
  @Gated('INTEGRATION_COURSE')
  async integrationCourse(@Root() person: Person, @Ctx() ctx: Context): Promise<IntegrationCourse | null> {
    return (await ctx.loaders.courses.load(person.id))[0] ?? null;
  }

  @FieldResolver(() => [IntegrationCourse], { nullable: true, description: 'Integration courses, newest first.' })
  @Gated('INTEGRATION_COURSE')
  integrationCourses(@Root() person: Person, @Ctx() ctx: Context): Promise<IntegrationCourse[]> {
    return ctx.loaders.courses.load(person.id);
  }

  @FieldResolver(() => [BenefitReceipt], {
    nullable: true,
    description: 'Receipt of basic income support, newest first.',
  })
  @Gated('BENEFITS')
  benefits(@Root() person: Person, @Ctx() ctx: Context): Promise<BenefitReceipt[]> {
    return ctx.loaders.benefits.load(person.id);
  }

  @Mutation(() => EmploymentStatus, { description: 'Adds an entry to the employment history.' })
  recordEmploymentStatus(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => EmploymentStatusInput) input: EmploymentStatusInput,
    @Ctx() ctx: Context,
  ): Promise<EmploymentStatus> {
    return new JobcenterService(ctx.db).recordEmploymentStatus(ctx.caller, requirePersonId(personId), input);
  }

  @Mutation(() => Measure)
  recordMeasure(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => MeasureInput) input: MeasureInput,
    @Ctx() ctx: Context,
  ): Promise<Measure> {
    return new JobcenterService(ctx.db).recordMeasure(ctx.caller, requirePersonId(personId), input);
  }

  @Mutation(() => IntegrationCourse)
  recordIntegrationCourse(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => IntegrationCourseInput) input: IntegrationCourseInput,
    @Ctx() ctx: Context,
  ): Promise<IntegrationCourse> {
    return new JobcenterService(ctx.db).recordIntegrationCourse(ctx.caller, requirePersonId(personId), input);
  }

  @Mutation(() => IntegrationCourse, { description: "Records a course's progress: status, result and end." })
  updateIntegrationCourse(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => IntegrationCourseUpdateInput) input: IntegrationCourseUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<IntegrationCourse> {
    return new JobcenterService(ctx.db).updateIntegrationCourse(ctx.caller, requirePersonId(id, 'id'), input);
  }

  @Mutation(() => BenefitReceipt, { description: 'Opens a receipt of basic income support, ending the running one.' })
  recordBenefit(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => BenefitInput) input: BenefitInput,
    @Ctx() ctx: Context,
  ): Promise<BenefitReceipt> {
    return new JobcenterService(ctx.db).recordBenefit(ctx.caller, requirePersonId(personId), input);
  }
}
