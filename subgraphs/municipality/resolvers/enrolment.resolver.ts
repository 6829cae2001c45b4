import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { requireId, requirePersonId } from '../../../common/validation.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Enrolment } from '../entities/enrolment.entity.js';
import { Municipality } from '../entities/municipality.entity.js';
import { EnrolmentInput } from '../inputs/enrolment.input.js';
import type { MunicipalityLoaders } from '../loaders/municipality.loaders.js';
import { EnrolmentService } from '../services/enrolment.service.js';

type Context = SubgraphContext<MunicipalityLoaders>;

@Resolver(() => Enrolment)
export class EnrolmentResolver {
  @FieldResolver(() => Municipality, { nullable: true })
  municipality(@Root() enrolment: Enrolment, @Ctx() ctx: Context): Promise<Municipality | null> {
    return ctx.loaders.municipality.load(enrolment.municipalityAgs);
  }

  @Mutation(() => Enrolment, {
    nullable: true,
    description: "Ends a current enrolment of the caller's own municipality.",
  })
  endEnrolment(
    @Arg('id', () => ID) id: string,
    @Arg('until', () => LocalDateScalar) until: string,
    @Ctx() ctx: Context,
  ): Promise<Enrolment> {
    return new EnrolmentService(ctx.db).end(ctx.caller, requireId(id, 'id', 'an enrolment id'), until);
  }

  @Mutation(() => Enrolment, {
    nullable: true,
    description: "Records a childcare place or school enrolment in the caller's municipality.",
  })
  recordEnrolment(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => EnrolmentInput) input: EnrolmentInput,
    @Ctx() ctx: Context,
  ): Promise<Enrolment> {
    return new EnrolmentService(ctx.db).record(ctx.caller, requirePersonId(personId), input);
  }
}
