import DataLoader from 'dataloader';
import {
  FindOperator,
  type DataSource,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';
import { runPrepared, type PreparedStatement } from './db/prepared.js';

/** A loader's filter beyond its key: a column equal to a value, or (`IsNull()`) null. */
type Where<T> = FindOptionsWhere<T>;

interface LoaderStatement {
  statement: PreparedStatement;
  /** From a row of the statement to the entity TypeORM would have made of it. */
  hydrate(row: Record<string, unknown>): ObjectLiteral;
  /** The key's column as the statement returns it. */
  keyColumn: string;
  /** Values of the `where` filter's parameters, after the keys' ($1). */
  values: unknown[];
}

/** Per data source (each its own database), the loaders' statements by what they read. */
const statementsOf = new WeakMap<DataSource, Map<string, LoaderStatement>>();

/**
 * The prepared statement of a loader, built once per process from the entity's TypeORM metadata: every
 * column, `date` columns as text (as TypeORM hydrates them), `WHERE key = ANY($1) AND <where>`, `ORDER BY`.
 * Entities and migrations stay TypeORM's; the per-request reads skip its query builder and runner.
 */
function loaderStatement<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  order: FindOptionsOrder<T> | undefined,
  where: Where<T>,
): LoaderStatement {
  const metadata = db.getMetadata(entity);
  const conditions = Object.entries(where).map(([property, value]) => {
    if (value instanceof FindOperator && value.type === 'isNull') return { property, isNull: true as const };
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return { property, value };
    throw new Error(
      `loaders: ${metadata.name}.${property} filters by ${String(value)}, which only IsNull() or a plain value may`,
    );
  });
  const id = `${metadata.tableName}|${column}|${JSON.stringify(order ?? {})}|${JSON.stringify(conditions)}`;
  if (!statementsOf.has(db)) statementsOf.set(db, new Map());
  const statements = statementsOf.get(db)!;
  const known = statements.get(id);
  if (known) return known;
  const columnOf = (property: string) => {
    const found = metadata.findColumnWithPropertyPath(property);
    if (!found) throw new Error(`loaders: ${metadata.name} has no column ${property}`);
    return found;
  };
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const key = columnOf(column);
  const selected = metadata.columns.map((c) =>
    c.type === 'date' ? `${quote(c.databaseName)}::text AS ${quote(c.databaseName)}` : quote(c.databaseName),
  );
  const values: unknown[] = [];
  const filters = conditions.map((condition) => {
    const name = quote(columnOf(condition.property).databaseName);
    if ('isNull' in condition) return `${name} IS NULL`;
    values.push(condition.value);
    return `${name} = $${values.length + 1}`;
  });
  const sorting = Object.entries(order ?? {}).map(
    ([property, direction]) =>
      `${quote(columnOf(property).databaseName)} ${String(direction).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`,
  );
  const keyType = key.type === 'uuid' ? 'uuid' : key.type === 'char' ? 'bpchar' : 'text';
  const text =
    `SELECT ${selected.join(', ')} FROM ${quote(metadata.tableName)} WHERE ${quote(key.databaseName)} = ANY($1::${keyType}[])` +
    (filters.length ? ` AND ${filters.join(' AND ')}` : '') +
    (sorting.length ? ` ORDER BY ${sorting.join(', ')}` : '');
  const hydrate = (row: Record<string, unknown>) => {
    const instance = metadata.create() as ObjectLiteral;
    for (const c of metadata.columns) {
      let value = row[c.databaseName];
      const transformers = c.transformer ? (Array.isArray(c.transformer) ? c.transformer : [c.transformer]) : [];
      for (const transformer of [...transformers].reverse()) value = transformer.from(value);
      instance[c.propertyName] = value;
    }
    return instance;
  };
  const built = {
    statement: { name: `verbund_loader_${statements.size}`, text },
    hydrate,
    keyColumn: key.databaseName,
    values,
  };
  statements.set(id, built);
  return built;
}

async function loadRows<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  keys: readonly string[],
  order: FindOptionsOrder<T> | undefined,
  where: Where<T>,
): Promise<{ key: string; row: T }[]> {
  const built = loaderStatement(db, entity, column, order, where);
  const rows = await runPrepared<Record<string, unknown>>(db, built.statement, [[...keys], ...built.values]);
  return rows.map((row) => ({ key: String(row[built.keyColumn]), row: built.hydrate(row) as T }));
}

/**
 * A per-request loader of at most one row per key: one prepared `WHERE column = ANY(…)` for all keys of a
 * tick, optionally narrowed by `where` (e.g. only open records: `IsNull()`).
 */
export function loadOne<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  where: Where<T> = {},
): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const byKey = new Map(
      (await loadRows(db, entity, column, keys, undefined, where)).map(({ key, row }) => [key, row]),
    );
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A per-request loader of all rows per key, in `order`: one prepared statement for all keys of a tick. */
export function loadMany<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  order?: FindOptionsOrder<T>,
  where: Where<T> = {},
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const byKey = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const { key, row } of await loadRows(db, entity, column, keys, order, where)) byKey.get(key)?.push(row);
    return keys.map((key) => byKey.get(key)!);
  });
}

/**
 * Inserts rows in statements of at most `chunk` rows: one INSERT of many thousand rows would pass
 * PostgreSQL's limit of 65,535 parameters per statement. Run it inside a transaction for all-or-nothing.
 */
export async function insertInChunks<T extends ObjectLiteral>(
  manager: Pick<DataSource, 'getRepository'>,
  entity: EntityTarget<T>,
  rows: Partial<T>[],
  chunk = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await manager.getRepository(entity).insert(rows.slice(i, i + chunk));
  }
}
