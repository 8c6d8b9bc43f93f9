// Locates statements inside a migration body: used to name the failing statement (PostgreSQL reports
// only a character position) and to split bodies for x-multi-statement. Unlike golang-migrate's
// multistmt (a plain byte search for ';'), this skips semicolons inside '...', E'...', "...",
// $tag$...$tag$ bodies, -- comments and nested /* */ comments, so function bodies survive.

export interface Statement {
  /** 1-based ordinal among non-empty statements. */
  readonly index: number;
  /** Offsets in characters (code points) of the body, as PostgreSQL counts positions. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function splitStatements(sql: string): Statement[] {
  const chars = [...sql];
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const text = chars.slice(start, end).join('');
    if (stripComments(text).trim() !== '') out.push({ index: out.length + 1, start, end, text: text.trim() });
  };
  while (i < chars.length) {
    const c = chars[i] as string;
    const n = chars[i + 1];
    if (c === '-' && n === '-') {
      while (i < chars.length && chars[i] !== '\n') i++;
    } else if (c === '/' && n === '*') {
      let depth = 1;
      i += 2;
      while (i < chars.length && depth > 0) {
        if (chars[i] === '/' && chars[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (chars[i] === '*' && chars[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && i > 0 && /[eE]/.test(chars[i - 1] as string);
      i++;
      while (i < chars.length) {
        if (escapes && chars[i] === '\\') i += 2;
        else if (chars[i] === c && chars[i + 1] === c) i += 2;
        else if (chars[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(chars.slice(i, i + 64).join(''));
      if (tag && !(i > 0 && /[A-Za-z0-9_]/.test(chars[i - 1] as string))) {
        const close = tag[0];
        const rest = chars.slice(i + close.length).join('');
        const at = rest.indexOf(close);
        i = at < 0 ? chars.length : i + close.length + [...rest.slice(0, at)].length + close.length;
      } else i++;
    } else if (c === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(chars.length);
  return out;
}

function stripComments(text: string): string {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** The statement containing 1-based character position `pos`, if any. */
export function statementAt(statements: Statement[], pos: number): Statement | undefined {
  return statements.find((s) => pos - 1 >= s.start && pos - 1 <= s.end) ?? statements[statements.length - 1];
}

/**
 * golang-migrate's computeLineFromPos: CRLF counts as one newline, positions are 1-based characters.
 * Returns undefined when the position lies outside the text.
 */
export function lineColumn(sql: string, pos: number): { line: number; column: number } | undefined {
  const chars = [...sql.replace(/\r\n/g, '\n')];
  if (pos > chars.length || pos < 1) return undefined;
  const before = chars.slice(0, pos);
  let line = 1;
  let lastNl = -1;
  before.forEach((ch, idx) => {
    if (ch === '\n') {
      line++;
      lastNl = idx;
    }
  });
  return { line, column: pos - 1 - lastNl };
}
