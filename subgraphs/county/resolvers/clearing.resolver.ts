import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Gated } from '../../../common/access/gated.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  ClearingProfile,
  LanguageSkill,
  Qualification,
  Schooling,
  WorkExperience,
} from '../entities/clearing.entity.js';
import type { CountyLoaders } from '../loaders/county.loaders.js';

type Context = SubgraphContext<CountyLoaders>;

@Resolver(() => ClearingProfile)
export class ClearingResolver {
  @FieldResolver(() => [LanguageSkill], { nullable: true })
  @Gated('CLEARING_LANGUAGE')
  languages(@Root() profile: ClearingProfile, @Ctx() ctx: Context): Promise<LanguageSkill[]> {
    return ctx.loaders.languages.load(profile.personId);
  }

  @FieldResolver(() => Schooling, { nullable: true })
  @Gated('CLEARING_EDUCATION')
  async schooling(@Root() profile: ClearingProfile, @Ctx() ctx: Context): Promise<Schooling | null> {
    const row = await ctx.loaders.clearingProfile.load(profile.personId);
    return row && { years: row.schoolYears, degree: row.schoolDegree, clearedOn: row.completedOn };
  }

  @FieldResolver(() => [Qualification], { nullable: true })
  @Gated('CLEARING_EDUCATION')
  qualifications(@Root() profile: ClearingProfile, @Ctx() ctx: Context): Promise<Qualification[]> {
    return ctx.loaders.qualifications.load(profile.personId);
  }

  @FieldResolver(() => [WorkExperience], { nullable: true })
  @Gated('CLEARING_EDUCATION')
  workExperience(@Root() profile: ClearingProfile, @Ctx() ctx: Context): Promise<WorkExperience[]> {
    return ctx.loaders.workExperience.load(profile.personId);
  }

  @FieldResolver(() => [String], { nullable: true })
  @Gated('CLEARING_EDUCATION')
  async interests(@Root() profile: ClearingProfile, @Ctx() ctx: Context): Promise<string[]> {
    return (await ctx.loaders.clearingProfile.load(profile.personId))?.interests ?? [];
  }

  @FieldResolver(() => [String], { nullable: true })
  @Gated('CLEARING_EDUCATION')
  async goals(@Root() profile: ClearingProfile, @Ctx() ctx: Context): Promise<string[]> {
    return (await ctx.loaders.clearingProfile.load(profile.personId))?.goals ?? [];
  }
}
