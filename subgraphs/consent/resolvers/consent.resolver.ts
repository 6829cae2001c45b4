import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requirePersonId } from '../../../common/errors.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  Consent,
  ConsentGrant,
  ConsentRecorder,
  ConsentState,
  PersonConsents,
  consentState,
} from '../entities/consent.entity.js';
import { ConsentTermsInput, RecordConsentInput, WithdrawConsentInput } from '../inputs/consent.input.js';
import type { ConsentLoaders } from '../loaders/consent.loaders.js';
import { ConsentService } from '../services/consent.service.js';
import { grantsFor, lookupPersonIds } from '../services/consent-grants.js';

type Context = SubgraphContext<ConsentLoaders>;

@Resolver(() => Consent)
export class ConsentResolver {
  @Query(() => Consent, { nullable: true, description: 'The current version of a consent (consent officers).' })
  async consent(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Consent | null> {
    const versions = await ctx.loaders.versions.load(requirePersonId(id, 'id'));
    return versions.at(-1) ?? null;
  }

  @Query(() => [ConsentGrant], { description: 'For subgraphs: consents in force naming the caller and purpose.' })
  @Directive('@inaccessible')
  async consentGrants(@Arg('personIds', () => [ID]) personIds: string[], @Ctx() ctx: Context): Promise<ConsentGrant[]> {
    return grantsFor(ctx.db.connection, ctx.caller, lookupPersonIds(personIds));
  }

  @FieldResolver(() => ConsentState, { description: 'Given, withdrawn, expired or not yet valid, as of now.' })
  state(@Root() consent: Consent): ConsentState {
    return consentState(consent, new Date());
  }

  @FieldResolver(() => ConsentRecorder)
  recordedBy(@Root() consent: Consent): ConsentRecorder {
    return { officer: consent.recordedByOfficer, agency: consent.recordedByAgency };
  }

  @FieldResolver(() => [Consent], { description: 'Every version of this consent, oldest first.' })
  versions(@Root() consent: Consent, @Ctx() ctx: Context): Promise<Consent[]> {
    return ctx.loaders.versions.load(consent.id);
  }

  @Mutation(() => Consent)
  recordConsent(
    @Arg('input', () => RecordConsentInput) input: RecordConsentInput,
    @Ctx() ctx: Context,
  ): Promise<Consent> {
    return new ConsentService(ctx.db).record(ctx.caller, input.personId, input);
  }

  @Mutation(() => Consent, { description: 'Changes the terms; the old version stays readable.' })
  changeConsent(
    @Arg('id', () => ID) id: string,
    @Arg('terms', () => ConsentTermsInput) terms: ConsentTermsInput,
    @Ctx() ctx: Context,
  ): Promise<Consent> {
    return new ConsentService(ctx.db).change(ctx.caller, id, terms);
  }

  @Mutation(() => Consent, { description: 'Withdraws a consent; it takes effect on the next request.' })
  withdrawConsent(
    @Arg('input', () => WithdrawConsentInput) input: WithdrawConsentInput,
    @Ctx() ctx: Context,
  ): Promise<Consent> {
    return new ConsentService(ctx.db).withdraw(ctx.caller, input.id, input.reason);
  }
}

@Resolver(() => PersonConsents)
export class PersonConsentsResolver {
  @FieldResolver(() => [Consent], { nullable: true, description: "The person's consents (consent officers only)." })
  consents(@Root() person: PersonConsents, @Ctx() ctx: Context): Promise<Consent[]> {
    return ctx.loaders.consentsOfPerson.load(person.id);
  }
}
