// The PostgreSQL advisory-lock key, computed exactly as golang-migrate v4.15.2 does
// (database/util.go GenerateAdvisoryLockId, called from database/postgres/postgres.go Lock):
//
//   crc32.ChecksumIEEE(schema + "\x00" + table + "\x00" + databaseName) * 1486364155   (uint32 wrap-around)
//
// Contract: `databaseName` is what golang-migrate passes, i.e. the URL's *decoded path including the
// leading slash* ("/app" for postgres://h/app), because its Open() sets DatabaseName = purl.Path.
// Reproducing that quirk is what makes the two tools contend for the same lock.
import { crc32 } from 'node:zlib';

export const ADVISORY_LOCK_SALT = 1486364155;

/** golang-migrate's GenerateAdvisoryLockId: extra names come first, the database name last. */
export function generateAdvisoryLockId(databaseName: string, ...additionalNames: string[]): bigint {
  const joined = additionalNames.length > 0 ? [...additionalNames, databaseName].join('\x00') : databaseName;
  const sum = crc32(Buffer.from(joined, 'utf8'));
  // Math.imul multiplies as int32 with wrap-around; >>> 0 reads the result back as uint32 (Go's uint32 *).
  return BigInt(Math.imul(sum, ADVISORY_LOCK_SALT) >>> 0);
}

/** The key the postgres driver locks: (schema, table, "/dbname"). */
export function migrationLockKey(urlPath: string, schema: string, table: string): bigint {
  return generateAdvisoryLockId(urlPath, schema, table);
}

/**
 * How pg_locks shows a bigint advisory key: classid = high 32 bits, objid = low 32 bits,
 * objsubid = 1 (PostgreSQL docs, "pg_locks"). Used to find who holds the lock.
 */
export function lockKeyToPgLocks(key: bigint): { classid: string; objid: string } {
  return { classid: String(key >> 32n), objid: String(key & 0xffffffffn) };
}
