// A parser with Go's `flag` package semantics, because golang-migrate's CLI is built on it and
// scripts rely on them: `-name value`, `-name=value`, `--name`, booleans only take `=value`, parsing
// stops at the first non-flag argument or after `--`, an unknown flag is an error (exit status 2).
import { parseDurationMs } from './duration.js';

export type FlagKind = 'bool' | 'string' | 'uint' | 'int' | 'duration';
export type FlagSpec = Record<string, FlagKind>;
export type FlagValues = Record<string, string | number | boolean>;

/** Go's flag.ExitOnError path: message + usage, exit status 2 (0 for -h/-help when not defined). */
export class FlagError extends Error {
  override name = 'FlagError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

export function parseFlags(args: readonly string[], spec: FlagSpec): { values: FlagValues; rest: string[] } {
  const values: FlagValues = {};
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg.length < 2 || arg[0] !== '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    let name = arg.slice(arg[1] === '-' ? 2 : 1);
    if (name === '' || name[0] === '-' || name[0] === '=') throw new FlagError(`bad flag syntax: ${arg}`, 2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    i++;
    const kind = spec[name];
    if (!kind) {
      if (name === 'h' || name === 'help') throw new FlagError('', 0);
      throw new FlagError(`flag provided but not defined: -${name}`, 2);
    }
    if (kind === 'bool') {
      if (value === undefined) values[name] = true;
      else if (GO_TRUE.includes(value)) values[name] = true;
      else if (GO_FALSE.includes(value)) values[name] = false;
      else throw new FlagError(`invalid boolean value "${value}" for -${name}: parse error`, 2);
      continue;
    }
    if (value === undefined) {
      if (i >= args.length) throw new FlagError(`flag needs an argument: -${name}`, 2);
      value = args[i++] as string;
    }
    values[name] = convert(name, kind, value);
  }
  return { values, rest: args.slice(i) };
}

function convert(name: string, kind: FlagKind, value: string): string | number {
  switch (kind) {
    case 'string':
      return value;
    case 'uint':
    case 'int': {
      const ok = kind === 'uint' ? /^\+?\d+$/.test(value) : /^[+-]?\d+$/.test(value);
      if (!ok) throw new FlagError(`invalid value "${value}" for flag -${name}: parse error`, 2);
      return Number(value);
    }
    case 'duration':
      try {
        return parseDurationMs(value);
      } catch (err) {
        throw new FlagError(`invalid value "${value}" for flag -${name}: ${(err as Error).message}`, 2);
      }
    default:
      return value;
  }
}
