// Reads of what the init containers prepared: rows of the tables the migrations created, and the
// keys the cache warmer stored (`app:config`, a JSON document with a TTL, and `app:initialized`).
// Queries never interpolate input: table names come from a fixed list, values are bind parameters.
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { notFound, schemaMissing, unavailable } from './errors.js';

export interface DataDeps {
  db: pg.Pool;
  redis: Redis;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Tables the web app serves, from the seed example's migrations; each is listed at GET /<name>. */
export const SERVED_TABLES = ['users'] as const;
export type ServedTable = (typeof SERVED_TABLES)[number];

/** Rows ordered by the first column (the primary key in the migrations), with the total count. */
export async function listRows(
  { db }: DataDeps,
  table: ServedTable,
  page: Page,
): Promise<{ items: Record<string, unknown>[]; total: number }> {
  const [rows, count] = await Promise.all([
    query(db, table, `SELECT * FROM "${table}" ORDER BY 1 LIMIT $1 OFFSET $2`, [page.limit, page.offset]),
    query(db, table, `SELECT count(*)::int AS n FROM "${table}"`, []),
  ]);
  return { items: rows, total: (count[0]?.n as number | undefined) ?? 0 };
}

export async function getRowById(
  { db }: DataDeps,
  table: ServedTable,
  id: number,
): Promise<Record<string, unknown>> {
  const rows = await query(db, table, `SELECT * FROM "${table}" WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) throw notFound(`${table} ${id} not found`);
  return row;
}

export interface AppConfigView {
  initialized: boolean;
  /** The parsed JSON document, or the raw string when it is not JSON. */
  config: unknown;
  /** Seconds until app:config expires (the warmer sets 3600); null when it has no expiry. */
  ttlSeconds: number | null;
}

export async function readAppConfig({ redis }: DataDeps): Promise<AppConfigView> {
  let replies: Array<[Error | null, unknown]> | null;
  try {
    replies = await redis.multi().get('app:config').ttl('app:config').get('app:initialized').exec();
  } catch (e) {
    throw unavailable('redis', (e as Error).message);
  }
  if (!replies) throw unavailable('redis', 'transaction aborted');
  for (const [error] of replies) if (error) throw unavailable('redis', error.message);
  const [raw, ttl, initialized] = replies.map(([, value]) => value) as [string | null, number, string | null];
  if (raw === null)
    throw notFound('app:config is not in Redis (the cache warmer has not run, or it expired)');
  let config: unknown = raw;
  try {
    config = JSON.parse(raw);
  } catch {
    // The seed stores whatever the ConfigMap file holds; serve it as text rather than fail.
  }
  return { initialized: initialized === 'true', config, ttlSeconds: ttl >= 0 ? ttl : null };
}

async function query(
  db: pg.Pool,
  table: string,
  sql: string,
  params: unknown[],
): Promise<Record<string, unknown>[]> {
  try {
    return (await db.query(sql, params)).rows;
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') throw schemaMissing(table);
    throw unavailable('postgres', (e as Error).message);
  }
}
