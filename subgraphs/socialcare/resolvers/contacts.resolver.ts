import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, Directive, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { gateContacts } from '../../../common/integration/contact.service.js';
import { Contact } from '../../../common/integration/contact.type.js';
import { FieldOfAction } from '../../../common/integration/field-of-action.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Person } from '../entities/person.type.js';
import type { SocialcareLoaders } from '../loaders/socialcare.loaders.js';

type Context = SubgraphContext<SocialcareLoaders>;

/** The welfare organisations' share of `Person.contacts`: the caseworker of the open counselling, the integration guide. */
@Resolver(() => Person)
export class SocialcareContactsResolver {
  @FieldResolver(() => [Contact], {
    description: "The person's contact at a welfare organisation (see Person.contacts).",
  })
  @Directive('@inaccessible')
  async socialcareContacts(
    @Root() person: Person,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Contact[]> {
    const assignment = await ctx.loaders.openAssignment.load(person.id);
    const held: Contact[] = [];
    if (assignment) {
      const [caseworker, organisation] = await Promise.all([
        ctx.loaders.caseworker.load(assignment.caseworkerId),
        ctx.loaders.organisation.load(assignment.organisationId),
      ]);
      if (caseworker) {
        held.push({
          fieldOfAction: FieldOfAction.SOCIAL_PARTICIPATION,
          partner: organisation?.name ?? assignment.organisationId,
          agency: `socialcare:${assignment.organisationId}`,
          name: caseworker.name,
          role: 'Integration guide (Integrationslotse)',
          phone: caseworker.phone,
          email: caseworker.email,
          since: assignment.since,
        });
      }
    }
    // Decided and recorded even when there is no counselling, so the answer never tells whether there is.
    return gateContacts(ctx, info, person.id, held, 'socialcare', 'Person.socialcareContacts');
  }
}
