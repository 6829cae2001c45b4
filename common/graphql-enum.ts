import { registerEnumType } from 'type-graphql';

/** The names of a space-separated list, as a union: `Words<'A B'>` is `'A' | 'B'`. */
type Words<S extends string> = S extends `${infer First} ${infer Rest}` ? First | Words<Rest> : S;

/** A vocabulary as the code uses it: `Gender.FEMALE === 'FEMALE'`, every value its own name. */
export type Vocabulary<V extends string> = { readonly [K in V]: K };

/** The union of a vocabulary's values: `type Gender = ValueOf<typeof Gender>`. */
export type ValueOf<T> = T[keyof T];

/**
 * A vocabulary of the schema, declared once: its values (space-separated, in the schema's order, or a list of
 * `common/domain.ts`) become both the object the code reads (`Gender.FEMALE`) and the GraphQL enum registered
 * under `name`. A vocabulary written out as a TypeScript enum spells every value twice (`FEMALE = 'FEMALE'`).
 */
export function graphqlEnum<const S extends string>(
  name: string,
  values: S,
  options?: { description?: string },
): Vocabulary<Words<S>>;
export function graphqlEnum<const V extends string>(
  name: string,
  values: readonly V[],
  options?: { description?: string },
): Vocabulary<V>;
export function graphqlEnum(
  name: string,
  values: string | readonly string[],
  options: { description?: string } = {},
): Vocabulary<string> {
  const names = typeof values === 'string' ? values.split(' ') : values;
  if (names.some((value) => !/^[A-Z][A-Z0-9_]*$/.test(value)) || new Set(names).size !== names.length) {
    throw new Error(`The values of the enum ${name} must be distinct upper-case names`);
  }
  const vocabulary = Object.freeze(Object.fromEntries(names.map((value) => [value, value])));
  registerEnumType(vocabulary, { name, ...options });
  return vocabulary;
}

/** One entry of `graphqlEnums`: its values (space-separated, in the schema's order), with a description or not. */
export type VocabularyEntry = string | { values: string; description: string };

type EntryValues<E> = E extends string ? E : E extends { values: infer V extends string } ? V : never;

/**
 * Several vocabularies of the schema as one table, each registered as a GraphQL enum under its key, in the
 * table's order (`graphqlEnum` for each): the name is spelled once, so the code's name and the schema's
 * cannot drift apart. Destructure the result: `export const { Gender } = graphqlEnums({ Gender: 'FEMALE …' })`.
 */
export function graphqlEnums<const T extends Record<string, VocabularyEntry>>(
  table: T,
): { readonly [K in keyof T]: Vocabulary<Words<EntryValues<T[K]>>> } {
  return Object.fromEntries(
    Object.entries(table).map(([name, entry]) => [
      name,
      typeof entry === 'string'
        ? graphqlEnum(name, entry)
        : graphqlEnum(name, entry.values, { description: entry.description }),
    ]),
  ) as { readonly [K in keyof T]: Vocabulary<Words<EntryValues<T[K]>>> };
}
