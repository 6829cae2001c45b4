import DataLoader from 'dataloader';
import { In, type DataSource, type EntityTarget, type FindOptionsOrder, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';

/**
 * A per-request loader of at most one row per key: one `WHERE column IN (…)` for all keys of a tick,
 * optionally narrowed by `where` (e.g. only open records).
 */
export function loadOne<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  where: FindOptionsWhere<T> = {},
): DataLoader<string, T | null> {
  return new DataLoader(async (keys) => {
    const rows = await db.getRepository(entity).find({ where: { ...where, [column]: In([...keys]) } as never });
    const byKey = new Map(rows.map((row) => [String(row[column]), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A per-request loader of all rows per key, in `order`: one statement for all keys of a tick. */
export function loadMany<T extends ObjectLiteral>(
  db: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  order?: FindOptionsOrder<T>,
  where: FindOptionsWhere<T> = {},
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = await db.getRepository(entity).find({ where: { ...where, [column]: In([...keys]) } as never, order });
    const byKey = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of rows) byKey.get(String(row[column]))?.push(row);
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
