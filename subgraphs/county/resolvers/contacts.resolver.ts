import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, Directive, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { gateContacts } from '../../../common/integration/contact.service.js';
import { Contact } from '../../../common/integration/contact.type.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Person } from '../entities/person.entity.js';
import type { CountyLoaders } from '../loaders/county.loaders.js';

type Context = SubgraphContext<CountyLoaders>;

const CONTACT_FIELDS = '{ fieldOfAction partner agency name role phone email since }';
const ORDER = ['HOUSING', 'LANGUAGE', 'EDUCATION', 'WORK_AND_TRAINING', 'SOCIAL_PARTICIPATION', 'RESIDENCE'];

/** The Integration Point's one list of a person's contacts at every partner. */
@Resolver(() => Person)
export class ContactsResolver {
  @FieldResolver(() => [Contact], {
    nullable: true,
    description:
      "The person's responsible contacts, one per field of action and partner. Each partner decides and records its own " +
      "entries under its category for that work (a welfare organisation's under SOCIAL_CARE, the jobcenter's under EMPLOYMENT or " +
      "INTEGRATION_COURSE, a municipality's under HOUSING or CHILDCARE_SCHOOL, the county's under RESIDENCE or the clearing " +
      'categories); entries without a basis are left out and the refusal reported, whether or not there are any.',
  })
  @Directive(
    `@requires(fields: "municipalityContacts ${CONTACT_FIELDS} jobcenterContacts ${CONTACT_FIELDS} socialcareContacts ${CONTACT_FIELDS}")`,
  )
  async contacts(@Root() person: Person, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Contact[]> {
    const own = await gateContacts(
      ctx,
      info,
      person.id,
      await ctx.loaders.contacts.load(person.id),
      'county',
      'Person.contacts',
    );
    // The partners' entries were released and recorded by them; they pass through unchanged.
    const partners = [
      ...(person.municipalityContacts ?? []),
      ...(person.jobcenterContacts ?? []),
      ...(person.socialcareContacts ?? []),
    ];
    return [...own, ...partners].sort(
      (a, b) =>
        ORDER.indexOf(a.fieldOfAction) - ORDER.indexOf(b.fieldOfAction) ||
        (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0),
    );
  }
}

const PARTNER_FIELDS = ['municipalityContacts', 'jobcenterContacts', 'socialcareContacts'] as const;

/** The person with the partners' contacts of an entity representation, when it brings any. */
export function withPartnerContacts(person: Person, reference: Record<string, unknown>): Person {
  if (!PARTNER_FIELDS.some((field) => field in reference)) return person;
  const copy = Object.assign(Object.create(Person.prototype) as Person, person);
  for (const field of PARTNER_FIELDS) {
    const value = reference[field];
    copy[field] = Array.isArray(value) ? (value as Contact[]) : [];
  }
  return copy;
}
