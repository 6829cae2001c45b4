import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../../common/errors.js';
import { requireId, requirePersonId } from '../../../common/validation.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { CaseNote } from '../entities/case-note.entity.js';
import { WelfareOrganisation } from '../entities/organisation.entity.js';
import { SocialCareCase } from '../entities/person.type.js';
import { SpecialNeed } from '../entities/special-need.entity.js';
import { SupportNeed } from '../entities/support-need.entity.js';
import { SpecialNeedInput, SupportNeedInput } from '../inputs/socialcare.input.js';
import type { SocialcareLoaders } from '../loaders/socialcare.loaders.js';
import { SocialcareService } from '../services/socialcare.service.js';

type Context = SubgraphContext<SocialcareLoaders>;

/** A welfare organisation's own casework: every operation here is for the caller's organisation only. */
@Resolver()
export class CaseworkResolver {
  @Query(() => [WelfareOrganisation], {
    description: 'The welfare organisations counselling refugees in the district.',
  })
  welfareOrganisations(@Ctx() ctx: Context): Promise<WelfareOrganisation[]> {
    return new SocialcareService(ctx.db).organisations();
  }

  @Query(() => [CaseNote], { description: "The caller organisation's own notes on a person; they never leave it." })
  caseNotes(@Arg('personId', () => ID) personId: string, @Ctx() ctx: Context): Promise<CaseNote[]> {
    return new SocialcareService(ctx.db).caseNotes(ctx.caller, requirePersonId(personId));
  }

  @Mutation(() => SocialCareCase, {
    description: "Assigns one of the organisation's caseworkers, closing its earlier assignment.",
  })
  assignCaseworker(
    @Arg('personId', () => ID) personId: string,
    @Arg('caseworkerId', () => ID) caseworkerId: string,
    @Arg('since', () => LocalDateScalar) since: string,
    @Ctx() ctx: Context,
    @Arg('municipalityAgs', () => String, {
      nullable: true,
      description:
        'The municipality (AGS) where the counselling takes place; defaults to that of the earlier assignment.',
    })
    municipalityAgs?: string | null,
  ): Promise<SocialCareCase> {
    const person = requirePersonId(personId);
    if (municipalityAgs != null && !/^\d{8}$/.test(municipalityAgs)) {
      throw badUserInput([{ field: 'municipalityAgs', message: 'must be a municipality key (AGS) of eight digits' }]);
    }
    return new SocialcareService(ctx.db).assignCaseworker(
      ctx.caller,
      person,
      requireId(caseworkerId, 'caseworkerId'),
      since,
      municipalityAgs,
    );
  }

  @Mutation(() => SupportNeed)
  openSupportNeed(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => SupportNeedInput) input: SupportNeedInput,
    @Ctx() ctx: Context,
  ): Promise<SupportNeed> {
    return new SocialcareService(ctx.db).openSupportNeed(ctx.caller, requirePersonId(personId), input);
  }

  @Mutation(() => SupportNeed)
  closeSupportNeed(
    @Arg('id', () => ID) id: string,
    @Arg('closedOn', () => LocalDateScalar) closedOn: string,
    @Ctx() ctx: Context,
  ): Promise<SupportNeed> {
    return new SocialcareService(ctx.db).closeSupportNeed(ctx.caller, requireId(id, 'id'), closedOn);
  }

  @Mutation(() => SpecialNeed, { description: 'Records a health-related special need (GDPR Art. 9).' })
  recordSpecialNeed(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => SpecialNeedInput) input: SpecialNeedInput,
    @Ctx() ctx: Context,
  ): Promise<SpecialNeed> {
    return new SocialcareService(ctx.db).recordSpecialNeed(ctx.caller, requirePersonId(personId), input);
  }

  @Mutation(() => CaseNote)
  addCaseNote(
    @Arg('personId', () => ID) personId: string,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: Context,
  ): Promise<CaseNote> {
    return new SocialcareService(ctx.db).addCaseNote(ctx.caller, requirePersonId(personId), text);
  }
}
