/**
 * `$(VAR)` expansion exactly as Kubernetes' forked expansion package
 * (third_party/forked/golang/expansion): `$(NAME)` is replaced when NAME is known and kept
 * verbatim otherwise; `$$` is an escaped `$`; a `$` before anything else, an unterminated `$(`
 * and a trailing `$` are copied as they are. Used for env values, command and args.
 */

export type Mapping = (name: string) => string;

/** First context that defines the name wins; unknown names stay as `$(NAME)`. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const value = vars.get(name);
      if (value !== undefined) return value;
    }
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { text, isVariable, advance } = readVariableName(input, cursor + 1);
    out += isVariable ? mapping(text) : text;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** tryReadVariableName, reading from `start` (the character after `$`). */
function readVariableName(
  input: string,
  start: number,
): { text: string; isVariable: boolean; advance: number } {
  const first = input[start];
  if (first === '$') return { text: '$', isVariable: false, advance: 1 };
  if (first === '(') {
    const close = input.indexOf(')', start + 1);
    if (close !== -1)
      return { text: input.slice(start + 1, close), isVariable: true, advance: close - start + 1 };
    return { text: '$(', isVariable: false, advance: 1 };
  }
  return { text: `$${first}`, isVariable: false, advance: 1 };
}
