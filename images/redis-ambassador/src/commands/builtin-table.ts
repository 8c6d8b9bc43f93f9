/**
 * Fallback command classification, used until (or if never) the master answers `COMMAND`. It lists only
 * read-only commands (Redis 7.0 `readonly` flag) and the neither-read-nor-write ones that are safe on the
 * master without read-your-writes; everything absent is treated as a write, which is always correct,
 * only slower. Checked against `COMMAND` of redis-server 7.0 by command-table.test.ts.
 */
import type { RouteKind } from './route-kind.js';

const readOnly = `get mget strlen getrange substr exists type ttl pttl expiretime pexpiretime keys scan randomkey
dbsize touch hget hmget hgetall hkeys hvals hlen hexists hstrlen hscan hrandfield lrange llen lindex lpos
smembers sismember smismember scard srandmember sinter sintercard sunion sdiff sscan zrange zrangebyscore
zrevrange zrevrangebyscore zrangebylex zrevrangebylex zcard zcount zlexcount zscore zmscore zrank zrevrank
zscan zrandmember zdiff zinter zunion zintercard bitcount bitpos getbit bitfield_ro pfcount geopos geodist
geohash georadius_ro georadiusbymember_ro geosearch xrange xrevrange xlen xpending dump lcs sort_ro eval_ro
evalsha_ro fcall_ro object|encoding object|freq object|idletime object|refcount memory|usage xinfo|stream
xinfo|groups xinfo|consumers`;

const masterNoWrite = `ping echo info time lastsave config|get config|resetstat role command command|info
command|count command|docs command|list command|getkeys client|list client|kill slowlog|get slowlog|len
slowlog|reset latency|latest latency|history memory|stats memory|doctor script|exists function|list
function|dump function|stats pubsub|channels pubsub|numsub pubsub|numpat pubsub|shardchannels
pubsub|shardnumsub unsubscribe punsubscribe sunsubscribe`;

function rows(list: string, kind: RouteKind): [string, RouteKind][] {
  return list
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => [w, kind]);
}

/** name (or `name|subcommand`) → kind; read-only after module load. */
export const builtinTable: ReadonlyMap<string, RouteKind> = new Map([
  ...rows(readOnly, 'read'),
  ...rows(masterNoWrite, 'master'),
]);
