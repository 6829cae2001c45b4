import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { FieldOfAction } from '../../../common/integration/field-of-action.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { DirectoryEntry, entryMunicipality } from '../entities/directory-entry.entity.js';
import { MunicipalityReference } from '../entities/residence.type.js';
import { DirectoryEntryInput } from '../inputs/directory.input.js';
import { DirectoryService } from '../services/directory.service.js';

/** The district's guide of responsibilities ("Who is responsible"): no person data, open to every role. */
@Resolver(() => DirectoryEntry)
export class DirectoryResolver {
  @Query(() => [DirectoryEntry], {
    description:
      'Who is responsible, per field of action and municipality: with `municipality`, its entries and the district-wide ones. No person data.',
  })
  directory(
    @Ctx() ctx: SubgraphContext,
    @Arg('fieldOfAction', () => FieldOfAction, { nullable: true }) fieldOfAction?: FieldOfAction | null,
    @Arg('municipality', () => String, { nullable: true }) municipality?: string | null,
  ): Promise<DirectoryEntry[]> {
    return new DirectoryService(ctx.db).list({ fieldOfAction, municipality });
  }

  @FieldResolver(() => MunicipalityReference, {
    nullable: true,
    description: 'The municipality it is for; null: the whole district.',
  })
  municipality(@Root() entry: DirectoryEntry): MunicipalityReference | null {
    return entryMunicipality(entry);
  }

  @Mutation(() => DirectoryEntry, { description: "Makes or changes a directory entry of the caller's own agency." })
  recordDirectoryEntry(
    @Arg('input', () => DirectoryEntryInput) input: DirectoryEntryInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DirectoryEntry> {
    return new DirectoryService(ctx.db).record(ctx.caller, input);
  }

  @Mutation(() => DirectoryEntry, { description: "Removes a directory entry of the caller's own agency." })
  removeDirectoryEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<DirectoryEntry> {
    return new DirectoryService(ctx.db).remove(ctx.caller, id);
  }
}
