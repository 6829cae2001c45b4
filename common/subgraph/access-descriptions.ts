import { Kind, parse, print, visit, type ConstDirectiveNode, type StringValueNode } from 'graphql';
import { CATEGORIES, type Category } from '../domain.js';
import { ACCESS_HEADING, describeAccess, type PolicyData } from '../policy/access-rules.js';

/** The category a field's `@consent(category: …)` names, if it has one. */
export function consentCategory(directives: readonly ConstDirectiveNode[] = []): Category | undefined {
  const argument = directives
    .find((d) => d.name.value === 'consent')
    ?.arguments?.find((a) => a.name.value === 'category');
  if (!argument) return undefined;
  if (argument.value.kind !== Kind.STRING || !(CATEGORIES as readonly string[]).includes(argument.value.value)) {
    throw new Error(`@consent names an unknown category: ${print(argument.value)}`);
  }
  return argument.value.value as Category;
}

/**
 * Writes the access rules of its category into the description of every field marked `@consent` in a
 * subgraph's SDL, after what the field's own description says; generated from the policy data the
 * subgraphs decide with, so that the schema cannot say something the policy does not do.
 */
export function withAccessDescriptions(sdl: string, policy: PolicyData): string {
  const described = new Map<string, string>();
  let typeName = '';
  const enterType = (node: { name: { value: string } }) => {
    typeName = node.name.value;
    return undefined;
  };
  const document = visit(parse(sdl), {
    ObjectTypeDefinition: enterType,
    ObjectTypeExtension: enterType,
    InterfaceTypeDefinition: enterType,
    FieldDefinition(node) {
      const category = consentCategory(node.directives);
      if (!category) return undefined;
      // A field a statute entry names alone is described on its own; every other field as its category.
      const field = `${typeName}.${node.name.value}`;
      const named = policy.catalogue.entries.some((e) => e.fields?.includes(field));
      const key = named ? field : category;
      if (!described.has(key)) described.set(key, describeAccess(category, policy, named ? field : undefined));
      const own = node.description?.value.split(ACCESS_HEADING)[0]!.trim();
      const description: StringValueNode = {
        kind: Kind.STRING,
        value: own ? `${own}\n\n${described.get(key)}` : described.get(key)!,
        block: true,
      };
      return { ...node, description };
    },
  });
  return `${print(document)}\n`;
}
