/** A GraphQL response as tests read it. */
export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  /** The request id the answering part gave the request (the gateway issues its own). */
  requestId?: string;
  data?: T | null;
  errors?: {
    message: string;
    locations?: { line: number; column: number }[];
    path?: (string | number)[];
    extensions?: Record<string, any>;
  }[];
}

/** Posts a GraphQL operation with a bearer token and purpose, as a partner application would. */
export async function post<T = Record<string, any>>(
  url: string,
  options: {
    token?: string;
    purpose?: string;
    query: string;
    variables?: Record<string, unknown>;
    headers?: Record<string, string>;
  },
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.purpose) headers['x-purpose'] = options.purpose;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, requestId: response.headers.get('x-request-id') ?? undefined, ...body };
}

/** The codes of a response's errors, for compact assertions. */
export function codes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((e) => String(e.extensions?.code));
}
