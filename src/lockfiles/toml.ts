/**
 * A small TOML reader for lockfiles (Cargo.lock, poetry.lock, uv.lock): tables, arrays of tables,
 * dotted and quoted keys, basic/literal/multi-line strings, integers, floats, booleans, dates
 * (kept as strings), arrays and inline tables. Errors name the file and the line.
 *
 * Kept rather than replaced by a TOML library: it is small, has no dependency to audit, bounds its
 * depth, keeps `__proto__` as a key, and names the line of an error the way the other lockfile
 * readers do. __tests__/lockfiles/toml-differential.test.ts holds it to smol-toml (and Python's
 * tomllib where those two disagree) on real lockfiles and thousands of mutations of them.
 */
import { lineAtOffset, lockfileError } from './text.js';

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export interface TomlDocument {
  root: TomlTable;
  /** The line a table was opened on (its `[header]`, or its first key), for error messages. */
  lineOf(table: TomlTable): number;
}

/** Deeper nesting of arrays and inline tables than any lockfile uses is refused (and cannot overflow the stack). */
const MAX_DEPTH = 64;

const BARE_KEY = /[A-Za-z0-9_-]/;
const VALUE_CHAR = /[A-Za-z0-9_:.+-]/;
const INTEGER = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const PREFIXED_INTEGER = /^(?:0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*)$/;
const FLOAT =
  /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[eE][+-]?[0-9](?:_?[0-9])*)$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|nan)$/;
const DATE_TIME =
  /^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

function newTable(): TomlTable {
  return Object.create(null) as TomlTable;
}

function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === 'object' && !Array.isArray(value);
}

/** Parses TOML text. Keys are stored on prototype-less objects, so `__proto__` is just a key. */
export function parseToml(text: string, file: string): TomlDocument {
  return new Parser(text, file).document();
}

class Parser {
  private pos = 0;
  private readonly root = newTable();
  private current: TomlTable;
  private readonly openedAt = new WeakMap<TomlTable, number>();
  /** Tables given their own `[header]`: a second header for the same table is an error. */
  private readonly headed = new WeakSet<TomlTable>();
  /** Inline tables and static arrays are complete as written: nothing may be added to them. */
  private readonly sealed = new WeakSet<object>();
  /** Arrays made by `[[header]]`. */
  private readonly tableArrays = new WeakSet<TomlValue[]>();

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.current = this.root;
    this.openedAt.set(this.root, 0);
  }

  document(): TomlDocument {
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.text.length) break;
      if (this.text[this.pos] === '[') this.header();
      else this.keyValue(this.current);
      this.endOfLine();
    }
    const openedAt = this.openedAt;
    const text = this.text;
    return {
      root: this.root,
      lineOf: (table) => lineAtOffset(text, openedAt.get(table) ?? 0),
    };
  }

  private fail(message: string, at = this.pos): Error {
    return lockfileError(this.file, lineAtOffset(this.text, at), `is not valid TOML: ${message}`);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  /** Spaces and tabs. */
  private skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos += 1;
  }

  private skipComment(): void {
    if (this.peek() !== '#') return;
    while (this.pos < this.text.length && this.peek() !== '\n') {
      const code = this.text.charCodeAt(this.pos);
      if ((code < 0x20 && code !== 0x09 && code !== 0x0d) || code === 0x7f) {
        throw this.fail('control character in a comment');
      }
      this.pos += 1;
    }
  }

  /** Consumes a newline (`\n` or `\r\n`) if one is next. */
  private newline(): boolean {
    if (this.peek() === '\n') {
      this.pos += 1;
      return true;
    }
    if (this.peek() === '\r' && this.peek(1) === '\n') {
      this.pos += 2;
      return true;
    }
    return false;
  }

  /** Whitespace, comments and newlines between statements or array items. */
  private skipBlank(): void {
    for (;;) {
      this.skipSpace();
      this.skipComment();
      if (!this.newline()) return;
    }
  }

  private endOfLine(): void {
    this.skipSpace();
    this.skipComment();
    if (this.pos < this.text.length && !this.newline()) {
      throw this.fail(`unexpected ${JSON.stringify(this.peek())} after a value (one key = value per line)`);
    }
  }

  private header(): void {
    const start = this.pos;
    const isArray = this.peek(1) === '[';
    this.pos += isArray ? 2 : 1;
    this.skipSpace();
    const keys = this.key();
    this.skipSpace();
    if (isArray ? this.text.startsWith(']]', this.pos) : this.peek() === ']') {
      this.pos += isArray ? 2 : 1;
    } else {
      throw this.fail(`expected "${isArray ? ']]' : ']'}" to close the table header`);
    }
    let table = this.root;
    for (const key of keys.slice(0, -1)) table = this.descend(table, key, start);
    const last = keys[keys.length - 1] ?? '';
    const existing = table[last];
    if (isArray) {
      let array: TomlValue[];
      if (existing === undefined) {
        array = [];
        this.tableArrays.add(array);
        table[last] = array;
      } else if (Array.isArray(existing) && this.tableArrays.has(existing)) {
        array = existing;
      } else {
        throw this.fail(`[[${keys.join('.')}]] names a key that is already defined as something else`, start);
      }
      const element = newTable();
      this.openedAt.set(element, start);
      array.push(element);
      this.current = element;
      return;
    }
    if (existing === undefined) {
      const created = newTable();
      this.openedAt.set(created, start);
      table[last] = created;
      this.headed.add(created);
      this.current = created;
    } else if (isTable(existing) && !this.headed.has(existing) && !this.sealed.has(existing)) {
      this.headed.add(existing);
      this.openedAt.set(existing, start);
      this.current = existing;
    } else {
      throw this.fail(`table [${keys.join('.')}] is defined twice`, start);
    }
  }

  /** Steps into a sub-table for a header or dotted key, creating it if absent. */
  private descend(table: TomlTable, key: string, at: number): TomlTable {
    const value = table[key];
    if (value === undefined) {
      const created = newTable();
      this.openedAt.set(created, at);
      table[key] = created;
      return created;
    }
    if (Array.isArray(value) && this.tableArrays.has(value)) {
      const last = value[value.length - 1];
      if (isTable(last)) return last;
    }
    if (isTable(value) && !this.sealed.has(value)) return value;
    throw this.fail(`key "${key}" is already defined as a value, not a table`, at);
  }

  private keyValue(table: TomlTable): void {
    const start = this.pos;
    const keys = this.key();
    this.skipSpace();
    if (this.peek() !== '=') throw this.fail('expected "=" after a key');
    this.pos += 1;
    this.skipSpace();
    let target = table;
    for (const key of keys.slice(0, -1)) target = this.descend(target, key, start);
    const last = keys[keys.length - 1] ?? '';
    if (target[last] !== undefined) throw this.fail(`key "${keys.join('.')}" is defined twice`, start);
    target[last] = this.value(0);
  }

  /** A dotted key: bare or quoted segments separated by dots. */
  private key(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === '"') {
        if (this.text.startsWith('"""', this.pos)) throw this.fail('a key cannot be a multi-line string');
        keys.push(this.basicString());
      } else if (c === "'") {
        if (this.text.startsWith("'''", this.pos)) throw this.fail('a key cannot be a multi-line string');
        keys.push(this.literalString());
      } else {
        const start = this.pos;
        while (BARE_KEY.test(this.peek())) this.pos += 1;
        if (this.pos === start)
          throw this.fail(
            c === ''
              ? 'unexpected end of file, expected a key'
              : `unexpected ${JSON.stringify(c)}, expected a key`,
          );
        keys.push(this.text.slice(start, this.pos));
      }
      this.skipSpace();
      if (this.peek() !== '.') return keys;
      this.pos += 1;
    }
  }

  private value(depth: number): TomlValue {
    if (depth > MAX_DEPTH) throw this.fail(`arrays and inline tables nest more than ${MAX_DEPTH} deep`);
    const c = this.peek();
    if (c === '"')
      return this.text.startsWith('"""', this.pos) ? this.multilineBasicString() : this.basicString();
    if (c === "'")
      return this.text.startsWith("'''", this.pos) ? this.multilineLiteralString() : this.literalString();
    if (c === '[') return this.array(depth);
    if (c === '{') return this.inlineTable(depth);
    return this.scalar();
  }

  private scalar(): TomlValue {
    const start = this.pos;
    while (VALUE_CHAR.test(this.peek())) this.pos += 1;
    // A date and a time may be separated by one space.
    if (
      /^\d{4}-\d{2}-\d{2}$/.test(this.text.slice(start, this.pos)) &&
      this.peek() === ' ' &&
      /\d/.test(this.peek(1))
    ) {
      this.pos += 1;
      while (VALUE_CHAR.test(this.peek())) this.pos += 1;
    }
    const token = this.text.slice(start, this.pos);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (INTEGER.test(token)) return Number(token.replaceAll('_', ''));
    if (PREFIXED_INTEGER.test(token)) return Number(token.replaceAll('_', ''));
    if (FLOAT.test(token)) return Number(token.replaceAll('_', ''));
    if (SPECIAL_FLOAT.test(token))
      return token.endsWith('nan') ? Number.NaN : token.startsWith('-') ? -Infinity : Infinity;
    if (DATE_TIME.test(token)) return token;
    if (token === '') {
      const c = this.peek();
      throw this.fail(
        c === '' || c === '\n' || c === '\r'
          ? 'a key has no value'
          : `unexpected ${JSON.stringify(c)}, expected a value`,
      );
    }
    throw this.fail(`${JSON.stringify(token)} is not a TOML value (strings need quotes)`, start);
  }

  private array(depth: number): TomlValue[] {
    const array: TomlValue[] = [];
    this.delimited('[', ']', 'an array', () => {
      array.push(this.value(depth + 1));
    });
    this.sealed.add(array);
    return array;
  }

  /** `{ a = 1, b.c = "x" }`; like TOML 1.1, newlines and a trailing comma are accepted. */
  private inlineTable(depth: number): TomlTable {
    const table = newTable();
    this.openedAt.set(table, this.pos);
    this.delimited('{', '}', 'an inline table', () => {
      const start = this.pos;
      const keys = this.key();
      this.skipSpace();
      if (this.peek() !== '=') throw this.fail('expected "=" after a key');
      this.pos += 1;
      this.skipSpace();
      let target = table;
      for (const key of keys.slice(0, -1)) target = this.descend(target, key, start);
      const last = keys[keys.length - 1] ?? '';
      if (target[last] !== undefined) throw this.fail(`key "${keys.join('.')}" is defined twice`, start);
      target[last] = this.value(depth + 1);
    });
    this.sealed.add(table);
    return table;
  }

  /**
   * Items separated by commas between `open` (at the current position) and `close`; blank lines,
   * comments and a trailing comma are allowed. `what` names the construct in errors.
   */
  private delimited(open: string, close: string, what: string, item: () => void): void {
    const start = this.pos;
    const unterminated = `unterminated ${what.replace(/^an? /, '')} (no "${close}" closes the "${open}" on this line)`;
    this.pos += 1;
    for (;;) {
      this.skipBlank();
      if (this.peek() === close) break;
      if (this.pos >= this.text.length) throw this.fail(unterminated, start);
      item();
      this.skipBlank();
      if (this.peek() === ',') {
        this.pos += 1;
        continue;
      }
      if (this.peek() === close) break;
      if (this.pos >= this.text.length) throw this.fail(unterminated, start);
      throw this.fail(`expected "," or "${close}" in ${what}`);
    }
    this.pos += 1;
  }

  private checkStringChar(code: number, multiline: boolean): void {
    if ((code < 0x20 && code !== 0x09 && !(multiline && (code === 0x0a || code === 0x0d))) || code === 0x7f) {
      throw this.fail(
        code === 0x0a
          ? 'unterminated string (a "..." string ends on its line)'
          : 'control character in a string',
      );
    }
  }

  private basicString(): string {
    const start = this.pos;
    this.pos += 1;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw this.fail('unterminated string', start);
      const c = this.text[this.pos] ?? '';
      if (c === '"') {
        this.pos += 1;
        return out;
      }
      if (c === '\\') {
        out += this.escape();
        continue;
      }
      this.checkStringChar(c.charCodeAt(0), false);
      out += c;
      this.pos += 1;
    }
  }

  private multilineBasicString(): string {
    const start = this.pos;
    this.pos += 3;
    this.newline();
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw this.fail('unterminated """ string', start);
      const c = this.text[this.pos] ?? '';
      if (c === '"' && this.text.startsWith('"""', this.pos)) {
        let quotes = 3;
        while (quotes < 5 && this.peek(quotes) === '"') quotes += 1;
        out += '"'.repeat(quotes - 3);
        this.pos += quotes;
        return out;
      }
      if (c === '\\') {
        // A backslash at the end of a line trims the newline and the whitespace after it.
        let look = this.pos + 1;
        while (this.text[look] === ' ' || this.text[look] === '\t') look += 1;
        if (this.text[look] === '\n' || (this.text[look] === '\r' && this.text[look + 1] === '\n')) {
          this.pos = look;
          while (/[ \t\r\n]/.test(this.peek())) this.pos += 1;
          continue;
        }
        out += this.escape();
        continue;
      }
      this.checkStringChar(c.charCodeAt(0), true);
      out += c;
      this.pos += 1;
    }
  }

  private literalString(): string {
    const start = this.pos;
    this.pos += 1;
    const end = this.text.indexOf("'", this.pos);
    const newline = this.text.indexOf('\n', this.pos);
    if (end === -1 || (newline !== -1 && newline < end)) throw this.fail('unterminated string', start);
    const value = this.text.slice(this.pos, end);
    for (let i = 0; i < value.length; i += 1) this.checkStringChar(value.charCodeAt(i), false);
    this.pos = end + 1;
    return value;
  }

  private multilineLiteralString(): string {
    const start = this.pos;
    this.pos += 3;
    this.newline();
    const end = this.text.indexOf("'''", this.pos);
    if (end === -1) throw this.fail("unterminated ''' string", start);
    let quotes = 3;
    while (quotes < 5 && this.text[end + quotes] === "'") quotes += 1;
    const value = this.text.slice(this.pos, end) + "'".repeat(quotes - 3);
    for (let i = 0; i < value.length; i += 1) this.checkStringChar(value.charCodeAt(i), true);
    this.pos = end + quotes;
    return value;
  }

  private escape(): string {
    const at = this.pos;
    const c = this.peek(1);
    this.pos += 2;
    switch (c) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'f':
        return '\f';
      case 'r':
        return '\r';
      case 'e':
        return '\x1b';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'x':
        return this.codePoint(2, at);
      case 'u':
        return this.codePoint(4, at);
      case 'U':
        return this.codePoint(8, at);
      default:
        throw this.fail(`invalid escape "\\${c}" in a string`, at);
    }
  }

  private codePoint(digits: number, at: number): string {
    const hex = this.text.slice(this.pos, this.pos + digits);
    if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex))
      throw this.fail('invalid unicode escape in a string', at);
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      throw this.fail('invalid unicode escape in a string', at);
    this.pos += digits;
    return String.fromCodePoint(code);
  }
}

/** Typed reads of TOML tables for lockfile parsers; a wrong shape names the table's line. */
export class TomlReader {
  constructor(
    private readonly file: string,
    private readonly doc: TomlDocument,
  ) {}

  fail(table: TomlTable, message: string): Error {
    return lockfileError(this.file, this.doc.lineOf(table), message);
  }

  string(table: TomlTable, key: string, what: string): string {
    const value = table[key];
    if (typeof value !== 'string') throw this.fail(table, `${what} has no string "${key}"`);
    return value;
  }

  optionalString(table: TomlTable, key: string, what: string): string | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.fail(table, `${what}: "${key}" must be a string`);
    return value;
  }

  optionalTable(table: TomlTable, key: string, what: string): TomlTable | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (!isTable(value)) throw this.fail(table, `${what}: "${key}" must be a table`);
    return value;
  }

  /** An array whose every element is a table (`[[package]]` or `[{...}, {...}]`), or absent. */
  tables(table: TomlTable, key: string, what: string): TomlTable[] {
    const value = table[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item): item is TomlTable => isTable(item))) {
      throw this.fail(table, `${what}: "${key}" must be a list of tables`);
    }
    return value;
  }

  /** An array whose every element is a string, or absent. */
  strings(table: TomlTable, key: string, what: string): string[] {
    const value = table[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
      throw this.fail(table, `${what}: "${key}" must be a list of strings`);
    }
    return value;
  }
}

export { isTable as isTomlTable };
