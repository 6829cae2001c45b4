import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requireId, requirePersonId } from '../../../common/validation.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Participation } from '../entities/participation.entity.js';
import { ParticipationInput } from '../inputs/participation.input.js';
import type { SocialcareLoaders } from '../loaders/socialcare.loaders.js';
import { SocialcareService } from '../services/socialcare.service.js';

type Context = SubgraphContext<SocialcareLoaders>;

/**
 * What a welfare organisation records for monitoring: a person taking part in a club, a community offer,
 * volunteering or language support beyond the integration courses. Read back only as aggregates
 * (`Indicators.socialParticipation`, `Indicators.languageSupport`); no query shows a person's records.
 */
@Resolver(() => Participation)
export class ParticipationResolver {
  @Mutation(() => Participation, { description: 'Records that a client takes part in an offer from a day on.' })
  recordParticipation(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => ParticipationInput) input: ParticipationInput,
    @Ctx() ctx: Context,
  ): Promise<Participation> {
    return new SocialcareService(ctx.db).recordParticipation(ctx.caller, requirePersonId(personId), input);
  }

  @Mutation(() => Participation, { description: "Ends one of the organisation's own participation records on a day." })
  endParticipation(
    @Arg('id', () => ID) id: string,
    @Arg('until', () => LocalDateScalar) until: string,
    @Ctx() ctx: Context,
  ): Promise<Participation> {
    return new SocialcareService(ctx.db).endParticipation(ctx.caller, requireId(id, 'id'), until);
  }
}
