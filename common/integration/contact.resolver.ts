import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, FieldResolver, ID, Info, Mutation, Resolver, Root, type ClassType } from 'type-graphql';
import type { AgencyKind } from '../domain.js';
import { requireId, requirePersonId } from '../validation.js';
import { LocalDateScalar } from '../scalars.js';
import type { SubgraphContext } from '../subgraph/definition.js';
import { gateContacts, type HeldContact } from './contact.service.js';
import { AssignContactInput, Contact, ContactAssignmentRecord } from './contact.type.js';
import { ContactService } from './contact.service.js';
import type DataLoader from 'dataloader';

type Context = SubgraphContext<{ contacts: DataLoader<string, HeldContact[]> }>;

/** Names of a partner's contact operations; root fields are unique across the supergraph. */
export interface ContactOperationNames {
  /** `Mutation.<assign>(personId, input)`. */
  assign: string;
  /** `Mutation.<end>(id, until)`. */
  end: string;
}

/** A partner's own mutations over its contact assignments; their write scopes are in the operation table. */
export function createContactMutations(names: ContactOperationNames): ClassType {
  @Resolver()
  class ContactMutations {
    @Mutation(() => ContactAssignmentRecord, {
      name: names.assign,
      description:
        "Makes one of the caller's own staff the person's contact for a field of action; the one before ends that day.",
    })
    assign(
      @Arg('personId', () => ID) personId: string,
      @Arg('input', () => AssignContactInput) input: AssignContactInput,
      @Ctx() ctx: Context,
    ) {
      return new ContactService(ctx.db).assign(ctx.caller, requirePersonId(personId), input);
    }

    @Mutation(() => ContactAssignmentRecord, {
      name: names.end,
      description: "Ends one of the caller's own contact assignments.",
    })
    end(@Arg('id', () => ID) id: string, @Arg('until', () => LocalDateScalar) until: string, @Ctx() ctx: Context) {
      return new ContactService(ctx.db).end(ctx.caller, requireId(id, 'id', 'a contact assignment id'), until);
    }
  }
  return ContactMutations;
}

/**
 * The partner's share of `Person.contacts`, hidden from the public graph: the county's `contacts` requires it
 * and lists it with the others. Each entry is released under the partner's category and recorded here.
 */
export function createPartnerContactsField(
  PersonType: ClassType<{ id: string }>,
  partner: AgencyKind,
  field: string,
): ClassType {
  @Resolver(() => PersonType)
  class PartnerContactsResolver {
    @FieldResolver(() => [Contact], {
      name: field,
      description: `The person's contacts at the ${partner} (see Person.contacts).`,
    })
    @Directive('@inaccessible')
    async contacts(
      @Root() person: { id: string },
      @Ctx() ctx: Context,
      @Info() info: GraphQLResolveInfo,
    ): Promise<Contact[]> {
      const held = await ctx.loaders.contacts.load(person.id);
      return gateContacts(ctx, info, person.id, held, partner, `Person.${field}`);
    }
  }
  return PartnerContactsResolver;
}
