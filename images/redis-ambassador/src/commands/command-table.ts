/**
 * The command table: the single source of truth for how each command is routed. Built from the master's
 * `COMMAND` reply (flags `readonly`, `write`, `may_replicate`) when available, else from builtin-table.ts;
 * `specialCases` then overrides what flags cannot express (connection state, pinning, argument-dependent
 * blocking). `classify` is pure and is what routing, pinning and read-your-writes all read.
 */
import { RespError, type RespValue } from '../resp/decode.js';
import { builtinTable } from './builtin-table.js';
import type { RouteKind } from './route-kind.js';

type ArgClassifier = (args: readonly Buffer[]) => RouteKind;

const hasArg = (args: readonly Buffer[], word: string): boolean =>
  args.some((a, i) => i > 0 && a.length === word.length && a.toString('latin1').toLowerCase() === word);

const sub = (args: readonly Buffer[]): string => (args[1] ? args[1].toString('latin1').toLowerCase() : '');

const fixed =
  (kind: RouteKind): ArgClassifier =>
  () =>
    kind;

/**
 * `kind` only with an argument count Redis accepts; otherwise Redis answers an arity error and nothing
 * happens (inside MULTI the transaction stays open, as for any command), so the client's mode must not
 * change.
 */
const withArity =
  (kind: RouteKind, ok: (argc: number) => boolean): ArgClassifier =>
  (args) =>
    ok(args.length) ? kind : 'master';
const exactly = (n: number) => (argc: number) => argc === n;

/** Commands whose routing depends on connection semantics rather than on read/write flags. */
const specialCases: ReadonlyMap<string, ArgClassifier> = new Map<string, ArgClassifier>([
  ['multi', withArity('tx-start', exactly(1))],
  ['exec', fixed('tx-end')], // with any arguments: Redis then answers EXECABORT, which ends MULTI too
  ['discard', withArity('tx-end', exactly(1))],
  ['watch', withArity('watch', (argc) => argc >= 2)],
  ['unwatch', withArity('unwatch', exactly(1))],
  ['subscribe', fixed('tunnel')],
  ['psubscribe', fixed('tunnel')],
  ['ssubscribe', fixed('tunnel')],
  ['monitor', fixed('tunnel')],
  ['select', fixed('state')],
  ['auth', fixed('state')],
  ['hello', fixed('state')],
  ['reset', withArity('reset', exactly(1))],
  ['quit', fixed('quit')],
  ['blpop', fixed('blocking')],
  ['brpop', fixed('blocking')],
  ['blmove', fixed('blocking')],
  ['brpoplpush', fixed('blocking')],
  ['blmpop', fixed('blocking')],
  ['bzpopmin', fixed('blocking')],
  ['bzpopmax', fixed('blocking')],
  ['bzmpop', fixed('blocking')],
  ['wait', fixed('blocking')],
  ['waitaof', fixed('blocking')],
  ['eval_ro', fixed('read')],
  ['evalsha_ro', fixed('read')],
  ['fcall_ro', fixed('read')],
  ['xread', (args) => (hasArg(args, 'block') ? 'blocking' : 'read')],
  ['xreadgroup', (args) => (hasArg(args, 'block') ? 'blocking' : 'write')],
  ['script', (args) => (sub(args) === 'load' ? 'script-load' : sub(args) === 'exists' ? 'master' : 'write')],
  [
    'client',
    (args) => {
      switch (sub(args)) {
        case 'setname':
          return 'state';
        case 'setinfo':
          return 'local-ok';
        case 'getname':
        case 'id':
        case 'info':
          return 'private';
        case 'reply':
        case 'tracking':
        case 'caching':
          return 'reject';
        default:
          return 'master';
      }
    },
  ],
]);

const BY_NAME_LIMIT = 4096;

export class CommandTable {
  /** Commands with `name|subcommand` rows: only these look at their second argument. */
  private readonly containers: ReadonlySet<string>;
  /** kindByName's answers (null: needs `classify`): one Map look-up per command on the hot path. */
  private readonly byName = new Map<string, RouteKind | null>();

  private constructor(
    private readonly kinds: ReadonlyMap<string, RouteKind>,
    /** Where the rows came from, for logs and /metrics. */
    readonly source: 'builtin' | 'COMMAND',
  ) {
    this.containers = new Set([...kinds.keys()].filter((k) => k.includes('|')).map((k) => k.split('|')[0]!));
  }

  static builtin(): CommandTable {
    return new CommandTable(builtinTable, 'builtin');
  }

  /**
   * Builds the table from a decoded `COMMAND` reply. Throws if the reply is not the documented shape
   * (an array of [name, arity, flags, …, subcommands]) so a bad reply never half-replaces the table.
   */
  static fromCommandReply(reply: RespValue): CommandTable {
    if (reply instanceof RespError) throw new Error(`COMMAND failed: ${reply.message}`);
    if (!Array.isArray(reply) || reply.length === 0)
      throw new Error('COMMAND reply is not a non-empty array');
    const kinds = new Map<string, RouteKind>();
    const addRow = (row: RespValue): void => {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || !Array.isArray(row[2])) {
        throw new Error('COMMAND row is not [name, arity, flags, ...]');
      }
      const flags = new Set(row[2].map(String));
      const kind: RouteKind = flags.has('write') || flags.has('may_replicate') ? 'write' : 'master';
      kinds.set(row[0].toLowerCase(), flags.has('readonly') && !flags.has('write') ? 'read' : kind);
      const subcommands = row[9];
      if (Array.isArray(subcommands)) for (const s of subcommands) addRow(s);
    };
    for (const row of reply) addRow(row);
    return new CommandTable(kinds, 'COMMAND');
  }

  /** Number of rows (commands plus subcommands). */
  get size(): number {
    return this.kinds.size;
  }

  /**
   * `classify` for callers that have only the name: the kind when it does not depend on the arguments,
   * else undefined (special cases and container commands, which need `classify`).
   */
  kindByName(name: string): RouteKind | undefined {
    let kind = this.byName.get(name);
    if (kind === undefined) {
      kind = specialCases.has(name) || this.containers.has(name) ? null : (this.kinds.get(name) ?? 'write');
      // Bounded: clients can send any number of made-up names.
      if (this.byName.size < BY_NAME_LIMIT) this.byName.set(name, kind);
    }
    return kind ?? undefined;
  }

  classify(name: string, args: readonly Buffer[]): RouteKind {
    const special = specialCases.get(name);
    if (special) return special(args);
    if (args.length > 1 && this.containers.has(name)) {
      const withSub = this.kinds.get(`${name}|${sub(args)}`);
      if (withSub) return withSub;
    }
    // Unknown commands go to the master as writes: always correct, never stale.
    return this.kinds.get(name) ?? 'write';
  }
}
