/**
 * Error paths in the client's terms. The gateway fetches fields the client never asked for (the hidden
 * partner fields a field `@requires`, e.g. `Person.socialcareContacts` for `Person.contacts`); a refusal
 * reported at such a field would name it. This plugin rewrites every error path so that it names only
 * response keys of the client's own document: a hidden field becomes the field that required it (under the
 * client's alias), and anything else the document does not hold is cut off at the last key it does.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The hidden fields each public field requires, read from the supergraph's `@join__field(requires: …)`:
 * hidden field name → the public field name that asks for it.
 */
export function requiredBy(supergraphSdl: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of supergraphSdl.matchAll(
    /^\s+(\w+)(?:\([^)]*\))?:[^\n]*@join__field\([^)\n]*requires: "([^"]*)"/gm,
  )) {
    const [, field, requires] = match;
    const selection = parse(`{ ${requires} }`).definitions[0] as OperationDefinitionNode;
    for (const s of selection.selectionSet.selections) if (s.kind === Kind.FIELD) map.set(s.name.value, field);
  }
  return map;
}

/** The fields a level of the document selects, through inline fragments and fragment spreads. */
function fieldsOf(sets: SelectionSetNode[], fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return fields;
}

/** `path` as the client's document names it (see the module comment). */
export function clientPath(
  path: readonly (string | number)[],
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  hidden: Map<string, string>,
): (string | number)[] {
  let sets = [operation.selectionSet];
  const out: (string | number)[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      out.push(segment);
      continue;
    }
    const fields = fieldsOf(sets, fragments);
    const asked = fields.filter((f) => (f.alias?.value ?? f.name.value) === segment);
    if (asked.length) {
      out.push(segment);
      sets = asked.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
      continue;
    }
    const shown = hidden.get(segment);
    const requiring = shown && fields.find((f) => f.name.value === shown);
    if (requiring) out.push(requiring.alias?.value ?? requiring.name.value);
    return out;
  }
  return out;
}

/** Rewrites the paths of a response's errors into the client's terms, before the response leaves. */
export function clientPathsPlugin(supergraphSdl: string): ApolloServerPlugin {
  const hidden = requiredBy(supergraphSdl);
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response, document, operation }) {
          if (response.body.kind !== 'single' || !document || !operation) return Promise.resolve();
          const result = response.body.singleResult;
          if (!result.errors?.some((e) => e.path)) return Promise.resolve();
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
          result.errors = result.errors.map((error) =>
            error.path ? { ...error, path: clientPath(error.path, operation, fragments, hidden) } : error,
          );
          return Promise.resolve();
        },
      });
    },
  };
}
