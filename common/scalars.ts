import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import pg from 'pg';

// PostgreSQL `date` columns stay 'YYYY-MM-DD' strings: turning them into JS Dates would shift them by the
// server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function parseLocalDate(value: unknown): string {
  if (!isLocalDate(value)) {
    throw new GraphQLError(`Expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** A calendar date without time or zone (date of birth, valid until), as `YYYY-MM-DD`. */
export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: 'LocalDate',
  description: 'A calendar date without time or time zone, written YYYY-MM-DD.',
  serialize: (value) => parseLocalDate(value),
  parseValue: parseLocalDate,
  parseLiteral: (ast) => parseLocalDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Today's date as YYYY-MM-DD in UTC. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
