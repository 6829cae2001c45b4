import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requirePersonId } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { ClientResidence } from '../entities/residence.entity.js';
import { ClientResidenceInput } from '../inputs/residence.input.js';
import { ResidenceService } from '../services/residence.service.js';

@Resolver(() => ClientResidence)
export class ResidenceResolver {
  @Mutation(() => ClientResidence, {
    description: 'Records where a client lives from a day on, ending the earlier residence.',
  })
  recordClientResidence(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => ClientResidenceInput) input: ClientResidenceInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ClientResidence> {
    return new ResidenceService(ctx.db).record(ctx.caller, requirePersonId(personId), input);
  }
}
