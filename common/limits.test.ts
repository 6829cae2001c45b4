import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { GraphQLError, buildSchema, parse } from 'graphql';
import {
  ParsedDocuments,
  REQUEST_LIMITS,
  SUBGRAPH_REQUEST_LIMITS,
  admitRequest,
  measureQuery,
  type QueryMeasure,
} from './limits.js';

/** The shapes the hub's schema has: paged lists, lists sized by ids, unpaged lists, a page object, self-nesting. */
const schema = buildSchema(`
  type Query {
    person(id: ID!): Person
    persons(first: Int = 50, offset: Int = 0): [Person!]!
    consent(id: ID!): Consent
    grants(personIds: [ID!]!): [Grant!]!
    page(first: Int! = 20): Page!
  }
  type Person { id: ID! name: String languages: [Language!] tags: [String!]! }
  type Language { language: String level: String }
  type Consent { id: ID! versions: [Consent!]! }
  type Grant { id: ID! personId: ID! }
  type Page { records: [Record!]! cursor: String }
  type Record { id: ID! released: [Language!]! }
`);

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);

/** [what, query, variables, expected measure (the fields given)] */
const CASES: [string, string, Record<string, unknown>, Partial<QueryMeasure>][] = [
  [
    'a field costs 1, its object 1 more',
    '{ person(id: "1") { id name } }',
    {},
    { depth: 2, fields: 3, cost: 3, aliases: 0 },
  ],
  [
    'an unpaged list costs 10 times its selection',
    '{ person(id: "1") { languages { language level } } }',
    {},
    { depth: 3, fields: 4, cost: 1 + 1 + 10 * 2 },
  ],
  ['a list of scalars costs 1', '{ person(id: "1") { tags } }', {}, { cost: 2 }],
  ['a paged list costs its first', '{ persons(first: 100) { id name } }', {}, { cost: 1 + 100 * 2 }],
  ['first from a variable', 'query($n: Int) { persons(first: $n) { id } }', { n: 7 }, { cost: 1 + 7 }],
  ["first from the schema's default", '{ persons { id } }', {}, { cost: 1 + 50 }],
  ['nested lists multiply', '{ persons(first: 100) { languages { level } } }', {}, { cost: 1 + 100 * (1 + 10 * 1) }],
  [
    'a list costs the length of its list variable',
    'query($ids: [ID!]!) { grants(personIds: $ids) { id personId } }',
    { ids: ids(1000) },
    { cost: 1 + 1000 * 2, listArgument: 1000 },
  ],
  [
    'a list costs the length of its list literal',
    '{ grants(personIds: ["a", "b", "c"]) { id } }',
    {},
    { cost: 1 + 3, listArgument: 3 },
  ],
  [
    "a page object's first sizes the list below it",
    '{ page(first: 5) { records { id } cursor } }',
    {},
    { cost: 1 + (1 + 5) + 1 },
  ],
  [
    'consent.versions nests and multiplies',
    '{ consent(id: "c") { versions { versions { versions { id } } } } }',
    {},
    { depth: 5, cost: 1 + (1 + 10 * (1 + 10 * (1 + 10 * 1))) },
  ],
  [
    'aliases are counted',
    '{ a: person(id: "1") { id } b: person(id: "1") { id } }',
    {},
    { aliases: 2, fields: 4, cost: 4 },
  ],
  [
    'a fragment counts wherever it is spread',
    '{ a: person(id: "1") { ...P } b: person(id: "1") { ...P } } fragment P on Person { id name x: name }',
    {},
    { aliases: 2 + 2, fields: 2 * 4, cost: 2 * 4 },
  ],
  [
    'a fragment spread many times in one place counts every time',
    `{ person(id: "1") { ${'...P '.repeat(50)} } } fragment P on Person { id name }`,
    {},
    { fields: 1 + 50 * 2, cost: 1 + 50 * 2 },
  ],
  [
    'a chain of fragments each spreading the next twice counts 2^n, measured in linear time',
    `{ person(id: "1") { ...F0 } } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Person { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Person { id }`,
    {},
    { fields: 1 + 2 ** 30, cost: 1 + 2 ** 30, depth: 2 },
  ],
  [
    'a fragment cycle counts nothing more (validation refuses it)',
    '{ person(id: "1") { ...A } } fragment A on Person { id ...B } fragment B on Person { name ...A }',
    {},
    { fields: 3, cost: 3 },
  ],
  ['inline fragments add no depth', '{ person(id: "1") { ... on Person { id } } }', {}, { depth: 2, cost: 2 }],
  ['__typename costs nothing but is a field', '{ person(id: "1") { __typename id } }', {}, { fields: 3, cost: 2 }],
  [
    'introspection has no depth but its lists cost',
    '{ __schema { types { fields { type { name } } } } }',
    {},
    { depth: 0, cost: 1 + (1 + 10 * (1 + 10 * (1 + 1))) },
  ],
  [
    'the largest operation of a document counts',
    'query A { person(id: "1") { id } } query B { persons(first: 3) { id } }',
    {},
    { cost: 4, depth: 2 },
  ],
  [
    'a list nested in an input variable counts',
    'query($p: Page) { person(id: "1") { id } }',
    { p: { deep: { list: ids(42) } } },
    { listArgument: 42 },
  ],
];

describe('request cost estimator', () => {
  for (const [what, query, variables, expected] of CASES) {
    it(what, () => {
      const measured = measureQuery(schema, parse(query), variables);
      const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, measured[k as keyof QueryMeasure]]));
      assert.deepEqual(actual, expected);
    });
  }
});

/** The refusal `admitRequest` throws, or undefined. */
function refusal(
  query: string,
  variables: Record<string, unknown> = {},
  limits = REQUEST_LIMITS,
): GraphQLError | undefined {
  try {
    admitRequest(schema, query, variables, limits);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof GraphQLError);
    return error;
  }
}

describe('request limits', () => {
  const nested = (depth: number) =>
    `{ consent(id: "c") { ${'versions { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
  /** [what, query, variables, limit exceeded (undefined: admitted), actual value] */
  const TABLE: [string, string, Record<string, unknown>, string | undefined, number | undefined][] = [
    ['a person view', '{ person(id: "1") { id name languages { level } } }', {}, undefined, undefined],
    ['depth 8', nested(8), {}, 'cost', 1_111_112],
    ['depth 9', nested(9), {}, 'depth', 9],
    [
      '31 aliases',
      `{ ${ids(31)
        .map((_, i) => `a${i}: person(id: "1") { id }`)
        .join(' ')} }`,
      {},
      'aliases',
      31,
    ],
    [
      '1001 fields',
      `{ person(id: "1") { ${'...P '.repeat(500)} } } fragment P on Person { id name }`,
      {},
      'fields',
      1001,
    ],
    [
      'a list variable of 1001',
      'query($ids: [ID!]!) { grants(personIds: $ids) { id } }',
      { ids: ids(1001) },
      'listArgument',
      1001,
    ],
    [
      'a list variable of 1000',
      'query($ids: [ID!]!) { grants(personIds: $ids) { id } }',
      { ids: ids(1000) },
      undefined,
      undefined,
    ],
    ['first: 200000', '{ persons(first: 200000) { id } }', {}, 'cost', 200_001],
    // 14 tokens and 4 for each variable definition `$v: Int`.
    ['1998 tokens', `query(${'$v: Int '.repeat(496)}) { person(id: "1") { id } }`, {}, undefined, undefined],
    ['2002 tokens', `query(${'$v: Int '.repeat(497)}) { person(id: "1") { id } }`, {}, 'tokens', 2002],
    ['a syntax error is left to Apollo', '{ person(id: "1") { id ', {}, undefined, undefined],
  ];
  for (const [what, query, variables, limit, actual] of TABLE) {
    it(`${limit ? 'refuses' : 'admits'} ${what}`, () => {
      const error = refusal(query, variables);
      if (!limit) return assert.equal(error, undefined, error?.message);
      assert.ok(error, 'refused');
      assert.equal(error.extensions.code, 'QUERY_TOO_COMPLEX');
      assert.equal(error.extensions.limit, limit);
      assert.equal(error.extensions.actual, actual);
      assert.deepEqual(error.extensions.http, { status: 400 });
      assert.match(
        error.message,
        new RegExp(
          `is ${actual}, at most ${String(REQUEST_LIMITS[limit as keyof typeof REQUEST_LIMITS])} allowed \\(limit "${limit}"\\)`,
        ),
      );
    });
  }

  it("measures a document parsed before anew with each request's variables, and keeps no document it refused for its tokens", () => {
    const documents = new ParsedDocuments(2);
    const byIds = 'query($ids: [ID!]!) { grants(personIds: $ids) { id } }';
    const paged = 'query($n: Int) { persons(first: $n) { id } }';
    const admit = (query: string, variables: Record<string, unknown>) => {
      try {
        admitRequest(schema, query, variables, REQUEST_LIMITS, documents);
        return 'admitted';
      } catch (error) {
        return String((error as GraphQLError).extensions.limit);
      }
    };
    assert.equal(admit(byIds, { ids: ids(3) }), 'admitted');
    assert.ok(documents.get(byIds), 'kept');
    assert.equal(admit(byIds, { ids: ids(1001) }), 'listArgument');
    assert.equal(admit(paged, { n: 10 }), 'admitted');
    assert.equal(admit(paged, { n: 200_000 }), 'cost');
    const flood = `query(${'$v: Int '.repeat(497)}) { person(id: "1") { id } }`;
    assert.equal(admit(flood, {}), 'tokens');
    assert.equal(documents.get(flood), undefined);
    admit('{ person(id: "1") { id } }', {});
    assert.equal(documents.get(byIds), undefined, 'the oldest of more than 2 is forgotten');
  });

  it('keeps a measure per document only as long as the variables it reads stay the same', () => {
    const documents = new ParsedDocuments();
    const other = buildSchema(
      'type Query { persons(first: Int = 5): [P!]! grants(personIds: [ID!]!): [P!]! } type P { id: ID! }',
    );
    const check = (query: string, variables: Record<string, unknown>, against = schema) => {
      const document = parse(query);
      documents.set(query, document);
      const kept = documents.get(query)!;
      // Twice, so the second comes from what the first kept.
      for (let i = 0; i < 2; i++) {
        assert.deepEqual(
          documents.measure(against, kept, variables, REQUEST_LIMITS.defaultListSize),
          measureQuery(against, document, variables),
          `${query} with ${JSON.stringify(variables).slice(0, 80)}`,
        );
      }
    };
    for (const [, query, variables] of CASES) check(query, variables);
    // The same document, measured with other page sizes, list lengths, nested lists and schemas in turn.
    const paged = 'query($n: Int) { persons(first: $n) { id } }';
    for (const n of [7, 100, 7, 200_000, null, 0, -3]) check(paged, { n });
    const byIds = 'query($ids: [ID!]!, $p: Page) { grants(personIds: $ids) { id } }';
    for (const variables of [{ ids: ids(2) }, { ids: ids(900) }, { ids: ids(2), p: { deep: ids(50) } }, { ids: 'x' }])
      check(byIds, variables);
    check('{ persons { id } }', {});
    check('{ persons { id } }', {}, other);
    check(paged, { n: 7 }, other);
    check('{ persons { id } }', {});
  });

  it('gives subgraphs room for what the gateway adds to the fetches of an admitted request', () => {
    for (const key of Object.keys(REQUEST_LIMITS) as (keyof typeof REQUEST_LIMITS)[]) {
      assert.ok(SUBGRAPH_REQUEST_LIMITS[key] >= REQUEST_LIMITS[key], key);
    }
    const spread = `{ person(id: "1") { ${'...P '.repeat(1000)} } } fragment P on Person { id }`;
    assert.equal(refusal(spread, {}, SUBGRAPH_REQUEST_LIMITS), undefined);
  });
});
