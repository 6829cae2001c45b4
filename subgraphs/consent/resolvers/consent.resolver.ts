import { GraphQLError } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, ErrorCode, notFound } from '../../../common/errors.js';
import { lookupPersonIds, requirePersonId } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  Consent,
  ConsentGrant,
  ConsentRecorder,
  ConsentState,
  PersonConsents,
  consentState,
} from '../entities/consent.entity.js';
import { AccessCell, AccessChange, ConsentSettings } from '../entities/effective-access.type.js';
import {
  ConsentTermsInput,
  RecordConsentInput,
  VoidConsentInput,
  WithdrawConsentInput,
} from '../inputs/consent.input.js';
import type { ConsentLoaders } from '../loaders/consent.loaders.js';
import { ConsentService, termsProblems, type BirthDateLookup } from '../services/consent.service.js';
import { grantsFor, MAX_LOOKUP } from '../services/consent-grants.js';
import { EffectiveAccessService } from '../services/effective-access.service.js';

type Context = SubgraphContext<ConsentLoaders>;

/** The person's date of birth from the county's register, asked on the officer's behalf. */
function birthDateFromCounty(ctx: Context): BirthDateLookup {
  return async (personId) => {
    let found;
    try {
      found = await ctx.registry([personId], { withDateOfBirth: true });
    } catch {
      throw new GraphQLError(
        "The county's register could not be reached to check the person's date of birth; nothing was written. Try again later.",
        { extensions: { code: ErrorCode.RegistryUnavailable } },
      );
    }
    const registration = found.get(personId);
    if (!registration) throw notFound(`No person ${personId} is registered by the county`);
    return registration.dateOfBirth ?? null;
  };
}

const service = (ctx: Context) => new ConsentService(ctx.db, ctx.district, birthDateFromCounty(ctx));
const access = (ctx: Context) => new EffectiveAccessService(ctx.db, ctx.district, ctx.catalogue);

async function currentOf(ctx: Context, id: string): Promise<Consent> {
  const current = (await ctx.loaders.versions.load(requirePersonId(id, 'id'))).at(-1);
  if (!current) throw notFound(`No consent with id ${id}`);
  return current;
}

@Resolver(() => Consent)
export class ConsentResolver {
  @Query(() => Consent, { nullable: true, description: 'The current version of a consent (consent officers).' })
  async consent(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Consent | null> {
    const versions = await ctx.loaders.versions.load(requirePersonId(id, 'id'));
    return versions.at(-1) ?? null;
  }

  @Query(() => [ConsentGrant], {
    description: 'For subgraphs: consents naming the caller and purpose, not withdrawn or voided.',
  })
  @Directive('@inaccessible')
  async consentGrants(@Arg('personIds', () => [ID]) personIds: string[], @Ctx() ctx: Context): Promise<ConsentGrant[]> {
    return grantsFor(ctx.db.connection, ctx.caller, lookupPersonIds(personIds, MAX_LOOKUP));
  }

  @Query(() => ConsentSettings, {
    description: "The district's time zone and information notices, which a consent form's days and notice follow.",
  })
  consentSettings(@Ctx() ctx: Context): ConsentSettings {
    return {
      timeZone: ctx.district.timeZone,
      notices: ctx.district.notices.notices.map((n) => ({ version: n.version, languages: [...n.languages] })),
    };
  }

  @Query(() => [AccessCell], {
    description:
      "What the person's consents, the statutes and own tasks allow right now: every agency of the district × every purpose its roles may state × every category, decided by the subgraphs' own policy code.",
  })
  effectiveAccess(
    @Arg('personId', () => ID) personId: string,
    @Arg('at', () => GraphQLDateTimeISO, {
      nullable: true,
      description: 'Decide as of this instant instead of now (the consents as they are now, e.g. on their last day).',
    })
    at: Date | null,
    @Ctx() ctx: Context,
  ): Promise<AccessCell[]> {
    return access(ctx).of(requirePersonId(personId), at ?? new Date());
  }

  @Query(() => [AccessChange], {
    description:
      'What a withdrawal (or void) of this consent would change: every cell resting on it, before and after.',
  })
  async withdrawalPreview(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<AccessChange[]> {
    return access(ctx).preview(await currentOf(ctx, id), null);
  }

  @Query(() => [AccessChange], {
    description: 'What changing this consent to these terms would change, before and after.',
  })
  async changePreview(
    @Arg('id', () => ID) id: string,
    @Arg('terms', () => ConsentTermsInput) terms: ConsentTermsInput,
    @Ctx() ctx: Context,
  ): Promise<AccessChange[]> {
    const current = await currentOf(ctx, id);
    const problems = termsProblems(terms, ctx.district, null, new Date());
    if (problems.length) throw badUserInput(problems);
    const normal = service(ctx).normalise(terms);
    return access(ctx).preview(current, {
      ...current,
      ...normal,
      version: current.version + 1,
      withdrawnAt: null,
      voidedAt: null,
    });
  }

  @Query(() => [Consent], {
    description:
      "Before recording or changing: the person's consents in force or to come that would overlap these terms (a shared agency, purpose and category on some day).",
  })
  overlappingConsents(
    @Arg('personId', () => ID) personId: string,
    @Arg('terms', () => ConsentTermsInput) terms: ConsentTermsInput,
    @Arg('exceptId', () => ID, { nullable: true }) exceptId: string | null,
    @Ctx() ctx: Context,
  ): Promise<Consent[]> {
    const s = service(ctx);
    return s.overlapping(personId, s.normalise(terms), exceptId ?? undefined);
  }

  @FieldResolver(() => ConsentState, {
    description: "Given, withdrawn, voided, expired or not yet valid, as of now in the district's time zone.",
  })
  state(@Root() consent: Consent, @Ctx() ctx: Context): ConsentState {
    return consentState(consent, new Date(), ctx.district.timeZone);
  }

  @FieldResolver(() => ConsentRecorder)
  recordedBy(@Root() consent: Consent): ConsentRecorder {
    return { officer: consent.recordedByOfficer, agency: consent.recordedByAgency };
  }

  @FieldResolver(() => [Consent], { description: 'Every version of this consent, oldest first.' })
  versions(@Root() consent: Consent, @Ctx() ctx: Context): Promise<Consent[]> {
    return ctx.loaders.versions.load(consent.id);
  }

  @FieldResolver(() => [Consent], {
    description:
      "The person's other consents in force or to come that share an agency, purpose and category with this one on some day.",
  })
  async overlapping(@Root() consent: Consent, @Ctx() ctx: Context): Promise<Consent[]> {
    if (!consent.isCurrent || consent.withdrawnAt || consent.voidedAt) return [];
    return service(ctx).overlapping(consent.personId, consent, consent.id);
  }

  @Mutation(() => Consent, { description: 'Records a consent; `overlapping` answers the active consents it overlaps.' })
  recordConsent(
    @Arg('input', () => RecordConsentInput) input: RecordConsentInput,
    @Ctx() ctx: Context,
  ): Promise<Consent> {
    return service(ctx).record(ctx.caller, input.personId, input);
  }

  @Mutation(() => Consent, {
    description:
      'Changes the terms; the old version stays readable. Refused with CONFLICT (nothing written) when expectedVersion is no longer current.',
  })
  changeConsent(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('terms', () => ConsentTermsInput) terms: ConsentTermsInput,
    @Ctx() ctx: Context,
  ): Promise<Consent> {
    return service(ctx).change(ctx.caller, id, expectedVersion, terms);
  }

  @Mutation(() => Consent, {
    description:
      'Withdraws a consent (the person took it back); it takes effect on the next request. CONFLICT when expectedVersion is stale.',
  })
  withdrawConsent(
    @Arg('input', () => WithdrawConsentInput) input: WithdrawConsentInput,
    @Ctx() ctx: Context,
  ): Promise<Consent> {
    return service(ctx).withdraw(ctx.caller, input.id, input.expectedVersion, input.reason);
  }

  @Mutation(() => Consent, {
    description:
      'Voids a consent recorded in error (wrong person, never given): it allows nothing from the next request on, and the disclosures made on it are marked in the timeline and the Art. 15 report. CONFLICT when expectedVersion is stale.',
  })
  voidConsent(@Arg('input', () => VoidConsentInput) input: VoidConsentInput, @Ctx() ctx: Context): Promise<Consent> {
    return service(ctx).void(ctx.caller, input.id, input.expectedVersion, input.reason);
  }
}

@Resolver(() => PersonConsents)
export class PersonConsentsResolver {
  @FieldResolver(() => [Consent], { nullable: true, description: "The person's consents (consent officers only)." })
  consents(@Root() person: PersonConsents, @Ctx() ctx: Context): Promise<Consent[]> {
    return ctx.loaders.consentsOfPerson.load(person.id);
  }
}
