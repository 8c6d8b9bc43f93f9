/**
 * A client's connection state that Redis keeps per connection: database, authenticated user, protocol
 * version and client name. The ambassador replays it on every backend connection the client uses, and
 * connections are shared only between clients whose state is identical (same `signature`).
 * All functions here are pure.
 */
import { encodeCommand } from '../resp/request-parser.js';

export interface SessionState {
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly protocol: 2 | 3;
  readonly name?: string;
}

export function initialState(auth: { username?: string; password?: string }): SessionState {
  return {
    db: 0,
    protocol: 2,
    ...(auth.password !== undefined ? { password: auth.password } : {}),
    ...(auth.username !== undefined ? { username: auth.username } : {}),
  };
}

/** Connections are shared between sessions with equal signatures. */
export function signature(s: SessionState): string {
  return `${s.db}|${s.protocol}|${s.username ?? ''}|${s.password ?? ''}|${s.name ?? ''}`;
}

/** The commands that give a fresh backend connection this state, in the order Redis needs them. */
export function handshakeFor(s: SessionState): Buffer[] {
  const out: Buffer[] = [];
  const auth = s.password === undefined ? [] : s.username ? [s.username, s.password] : [s.password];
  if (s.protocol === 3) {
    const helloAuth = s.password === undefined ? [] : ['AUTH', s.username ?? 'default', s.password];
    out.push(encodeCommand(['HELLO', '3', ...helloAuth]));
  } else if (auth.length > 0) out.push(encodeCommand(['AUTH', ...auth]));
  if (s.db !== 0) out.push(encodeCommand(['SELECT', String(s.db)]));
  if (s.name !== undefined) out.push(encodeCommand(['CLIENT', 'SETNAME', s.name]));
  return out;
}

/**
 * The state after `args` succeeded on a backend (the caller applies it only to a non-error reply).
 * Returns the state unchanged for forms that change nothing (e.g. HELLO with no arguments).
 */
export function applyStateCommand(s: SessionState, args: readonly Buffer[]): SessionState {
  const name = args[0]!.toString('latin1').toLowerCase();
  const str = (i: number): string => args[i]!.toString('utf8');
  switch (name) {
    case 'select':
      return args.length === 2 ? { ...s, db: Number(str(1)) } : s;
    case 'auth':
      if (args.length === 2) return withAuth(s, undefined, str(1));
      if (args.length === 3) return withAuth(s, str(1), str(2));
      return s;
    case 'hello': {
      if (args.length < 2) return s;
      let next: SessionState = { ...s, protocol: str(1) === '3' ? 3 : 2 };
      for (let i = 2; i < args.length; i++) {
        const opt = str(i).toLowerCase();
        if (opt === 'auth' && i + 2 < args.length) {
          next = withAuth(next, str(i + 1), str(i + 2));
          i += 2;
        } else if (opt === 'setname' && i + 1 < args.length) {
          next = { ...next, name: str(i + 1) };
          i += 1;
        }
      }
      return next;
    }
    case 'client':
      return args.length === 3 ? { ...s, name: str(2) } : s;
    default:
      return s;
  }
}

function withAuth(s: SessionState, username: string | undefined, password: string): SessionState {
  const { username: _u, ...rest } = s;
  return { ...rest, password, ...(username !== undefined && username !== 'default' ? { username } : {}) };
}
