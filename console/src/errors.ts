import { CombinedGraphQLErrors } from '@apollo/client';

export interface ApiProblem {
  field: string;
  message: string;
}

export interface ApiError {
  message: string;
  code?: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The GraphQL errors of a failed or partial response, with their codes, or one error for a transport failure. */
export function apiErrors(error: unknown): ApiError[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => ({
      message: e.message,
      code: typeof e.extensions?.code === 'string' ? e.extensions.code : undefined,
      path: e.path,
      extensions: e.extensions,
    }));
  }
  const body = (error as { bodyText?: string }).bodyText;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      if (parsed.errors?.length)
        return parsed.errors.map((e) => ({
          message: e.message,
          code: e.extensions?.code as string,
          extensions: e.extensions,
        }));
    } catch {
      // not JSON: fall through
    }
  }
  return [{ message: error instanceof Error ? error.message : JSON.stringify(error) }];
}

/** BAD_USER_INPUT problems per field, keyed by the input field's name (`input.` / `terms.` prefixes dropped). */
export function fieldProblems(errors: ApiError[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const e of errors) {
    if (e.code !== 'BAD_USER_INPUT') continue;
    for (const p of (e.extensions?.problems as ApiProblem[] | undefined) ?? []) {
      const field = p.field.replace(/^(input|terms)\./, '').replace(/\.\d+$/, '');
      (result[field] ??= []).push(p.message);
    }
  }
  return result;
}
