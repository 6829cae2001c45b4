/** A GraphQL response as the benchmark reads it. */
export interface GraphQLBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Posts one operation with a bearer token and purpose, as a partner application would. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  options: { token: string; purpose: string; query: string; variables?: Record<string, unknown> },
): Promise<GraphQLBody<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${options.token}`,
      'x-purpose': options.purpose,
    },
    body: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

/** The body's data, or an error listing the body's errors. */
export function dataOf<T>(body: GraphQLBody<T>, what: string): T {
  if (body.errors?.length || !body.data) {
    throw new Error(`${what} answered with errors: ${JSON.stringify(body.errors?.map((e) => e.message) ?? body)}`);
  }
  return body.data;
}
