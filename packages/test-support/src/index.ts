/** Test helpers shared by podbay's tests (root and images); see README.md. */
export { canConnect, freePort, sleep, type WaitOptions, waitFor } from './net.js';
export { initCluster, type PgServer, startPostgres } from './postgres.js';
export { RedisGroup, RedisServer, startRedis, waitForLink } from './redis.js';
export { type RedisReply, RedisReplyError, redisCommand, requestReply } from './resp.js';
