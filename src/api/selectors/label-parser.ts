/**
 * The label selector string parser, as apimachinery's labels.Parse: a lexer that splits the
 * input into identifiers, keywords (`in`, `notin`) and operator symbols, then a recursive
 * descent parser over the scanned tokens. Error texts are upstream's exactly
 * (`unable to parse requirement: found '', expected: identifier`), because kubectl prints them.
 */
import { aggregate, invalidValue } from '../validation/field.js';
import { newRequirement, type Operator, type Requirement, RequirementError } from './label-requirement.js';
import { labelKeyErrors } from './label-syntax.js';

type Token =
  | 'error'
  | 'eos'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

const STRING_TO_TOKEN: Readonly<Record<string, Token>> = {
  ')': 'closedPar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'greaterThan',
  in: 'in',
  '<': 'lessThan',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
};

/** Upstream's binaryOperators, in its order, for the "expected:" list. */
const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

interface Scanned {
  tok: Token;
  literal: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch.length === 1;

/** Scans bytes as upstream does (Go indexes strings by byte; UTF-8 passes through identifiers). */
function scanAll(s: string): Scanned[] {
  let pos = 0;
  const read = (): string => (pos < s.length ? s[pos++]! : '');
  const out: Scanned[] = [];
  for (;;) {
    let ch = read();
    while (ch !== '' && isWhitespace(ch)) ch = read();
    if (ch === '') {
      out.push({ tok: 'eos', literal: '' });
      return out;
    }
    pos--;
    if (isSpecialSymbol(ch)) {
      let buffer = '';
      let last: Scanned | undefined;
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecialSymbol(c)) {
          buffer += c;
          const tok = STRING_TO_TOKEN[buffer];
          if (tok) last = { tok, literal: buffer };
          else if (last) {
            pos--;
            break;
          }
        } else {
          pos--;
          break;
        }
      }
      out.push(last ?? { tok: 'error', literal: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      out.push({ tok: STRING_TO_TOKEN[buffer] ?? 'identifier', literal: buffer });
    }
  }
}

class ParseError extends Error {}

class Parser {
  #items: Scanned[];
  #position = 0;
  constructor(input: string) {
    this.#items = scanAll(input);
  }

  /** In a values context the keywords `in`/`notin` are plain identifiers (`x in (in)`). */
  #view(item: Scanned, valuesContext: boolean): [Token, string] {
    const tok = valuesContext && (item.tok === 'in' || item.tok === 'notIn') ? 'identifier' : item.tok;
    return [tok, item.literal];
  }
  lookahead(values = true): [Token, string] {
    return this.#view(this.#items[this.#position]!, values);
  }
  consume(values = true): [Token, string] {
    return this.#view(this.#items[this.#position++]!, values);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const [tok, lit] = this.lookahead();
      if (tok === 'identifier' || tok === 'doesNotExist') {
        try {
          reqs.push(this.parseRequirement());
        } catch (e) {
          if (e instanceof ParseError || e instanceof RequirementError) {
            throw new ParseError(`unable to parse requirement: ${e.message}`);
          }
          throw e;
        }
        const [t, l] = this.consume();
        if (t === 'eos') return reqs;
        if (t === 'comma') {
          const [t2, l2] = this.lookahead();
          if (t2 !== 'identifier' && t2 !== 'doesNotExist')
            throw new ParseError(`found '${l2}', expected: identifier after ','`);
        } else {
          throw new ParseError(`found '${l}', expected: ',' or 'end of string'`);
        }
      } else if (tok === 'eos') {
        return reqs;
      } else {
        throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred) return newRequirement(key, inferred, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  parseKeyAndInferOperator(): [string, Operator | undefined] {
    let op: Operator | undefined;
    let [tok, literal] = this.consume();
    if (tok === 'doesNotExist') {
      op = '!';
      [tok, literal] = this.consume();
    }
    if (tok !== 'identifier') throw new ParseError(`found '${literal}', expected: identifier`);
    const keyErrs = labelKeyErrors(literal);
    // upstream validates the key with a nil field path, which prints as `<nil>`.
    if (keyErrs.length) throw new ParseError(aggregate([invalidValue('<nil>', literal, keyErrs.join('; '))]));
    const [t] = this.lookahead();
    if ((t === 'eos' || t === 'comma') && op !== '!') op = 'exists';
    return [literal, op];
  }

  parseOperator(): Operator {
    const [tok, lit] = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case 'equals':
        return '=';
      case 'doubleEquals':
        return '==';
      case 'greaterThan':
        return 'gt';
      case 'lessThan':
        return 'lt';
      case 'notIn':
        return 'notin';
      case 'notEquals':
        return '!=';
      default:
        throw new ParseError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  parseValues(): Set<string> {
    const [tok, lit] = this.consume();
    if (tok !== 'openPar') throw new ParseError(`found '${lit}' expected: '('`);
    const [t2, l2] = this.lookahead();
    if (t2 === 'identifier' || t2 === 'comma') {
      const s = this.parseIdentifiersList();
      const [t3] = this.consume();
      if (t3 !== 'closedPar') throw new ParseError(`found '${l2}', expected: ')'`);
      return s;
    }
    if (t2 === 'closedPar') {
      this.consume();
      return new Set(['']);
    }
    throw new ParseError(`found '${l2}', expected: ',', ')' or identifier`);
  }

  parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const [tok, lit] = this.consume();
      if (tok === 'identifier') {
        s.add(lit);
        const [t2, l2] = this.lookahead();
        if (t2 === 'comma') continue;
        if (t2 === 'closedPar') return s;
        throw new ParseError(`found '${l2}', expected: ',' or ')'`);
      }
      if (tok === 'comma') {
        if (s.size === 0) s.add('');
        const [t2] = this.lookahead();
        if (t2 === 'closedPar') {
          s.add('');
          return s;
        }
        if (t2 === 'comma') s.add('');
        continue;
      }
      throw new ParseError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  parseExactValue(): Set<string> {
    const [t] = this.lookahead();
    if (t === 'eos' || t === 'comma') return new Set(['']);
    const [tok, lit] = this.consume();
    if (tok === 'identifier') return new Set([lit]);
    throw new ParseError(`found '${lit}', expected: identifier`);
  }
}

/** Parses a selector string into requirements sorted by key; throws an Error with upstream's text. */
export function parseRequirements(input: string): Requirement[] {
  try {
    const reqs = new Parser(input).parse();
    // upstream sorts by key with a stable sort, to print and evaluate deterministically.
    return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } catch (e) {
    if (e instanceof ParseError) throw new Error(e.message);
    throw e;
  }
}
