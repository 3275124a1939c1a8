/**
 * A linear-time reader for the YAML that package managers write (pnpm, yarn berry, conda-lock,
 * conda environment files): block mappings and sequences, one-line plain and quoted scalars,
 * one-line flow collections, comments and `---` documents. The `yaml` package reads such a file at
 * about 1 MB/s with a large memory overhead, too slow for lockfiles of 250k packages; this reader
 * gives the same result as `yaml`'s failsafe schema for the subset, and gives up (returns
 * undefined) on anything else — anchors, tags, block scalars, multi-line scalars, duplicate keys,
 * anything unusual — so that the `yaml` package reads that file and reports its errors.
 */

/** Thrown inside the reader when the text leaves the subset; never escapes parseYamlSubset. */
class OutsideSubset extends Error {}

function outside(): never {
  throw new OutsideSubset();
}

type Value = string | Value[] | { [key: string]: Value };

/** Characters that cannot start a plain scalar in block context (YAML 1.2 c-indicator). */
const INDICATOR = /^[&*!|>%@`?]/;

/**
 * The documents of a YAML text (empty ones as null), or undefined when the text uses YAML outside
 * the subset. Never throws for any input.
 */
export function parseYamlSubset(text: string): unknown[] | undefined {
  try {
    return new Reader(text).documents();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    // A bug here must not change what the lockfile means: the full parser decides.
    return undefined;
  }
}

class Reader {
  /** Indentation and content (comment-only and blank lines have content ''). */
  private readonly indents: number[] = [];
  private readonly contents: string[] = [];
  private pos = 0;
  private end = 0;

  constructor(text: string) {
    let start = 0;
    while (start <= text.length) {
      let stop = text.indexOf('\n', start);
      if (stop === -1) stop = text.length;
      let line = text.slice(start, stop);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      let indent = 0;
      while (line.charCodeAt(indent) === 0x20) indent += 1;
      const rest = line.slice(indent);
      if (rest.startsWith('\t')) outside();
      this.indents.push(indent);
      this.contents.push(rest.startsWith('#') ? '' : rest);
      start = stop + 1;
    }
  }

  documents(): unknown[] {
    const starts: number[] = [];
    for (let i = 0; i < this.contents.length; i += 1) {
      const content = this.contents[i] ?? '';
      if (this.indents[i] === 0 && (content === '---' || content.startsWith('--- '))) {
        if (content !== '---') outside();
        starts.push(i);
      }
      if (this.indents[i] === 0 && (content === '...' || content.startsWith('%'))) outside();
    }
    const bounds: [number, number][] = [];
    let from = 0;
    for (const at of starts) {
      bounds.push([from, at]);
      from = at + 1;
    }
    bounds.push([from, this.contents.length]);
    // Before the first `---` there is a document only if it has content.
    const first = bounds[0];
    if (first !== undefined && this.isBlank(first[0], first[1])) {
      // No document at all reads as null; an empty one after `---` as an empty scalar.
      if (starts.length === 0) return [null];
      bounds.shift();
    }
    return bounds.map(([start, stop]) => this.document(start, stop));
  }

  private isBlank(start: number, stop: number): boolean {
    for (let i = start; i < stop; i += 1) if (this.contents[i] !== '') return false;
    return true;
  }

  private document(start: number, stop: number): Value {
    this.pos = start;
    this.end = stop;
    this.skipBlank();
    if (this.pos >= this.end) return '';
    if (this.indents[this.pos] !== 0) outside();
    const value = this.block(-1);
    this.skipBlank();
    if (this.pos < this.end) outside();
    return value;
  }

  private skipBlank(): void {
    while (this.pos < this.end && this.contents[this.pos] === '') this.pos += 1;
  }

  /** The block node starting at the current line, which must be indented more than `parent`. */
  private block(parent: number): Value {
    this.skipBlank();
    if (this.pos >= this.end) return '';
    const indent = this.indents[this.pos] ?? 0;
    if (indent <= parent) return '';
    const content = this.contents[this.pos] ?? '';
    if (isSequenceItem(content)) return this.sequence(indent);
    if (keyEnd(content) !== undefined) return this.mapping(indent);
    // A lone scalar on its own line (a document that is a scalar, or a continuation): not ours.
    return outside();
  }

  private sequence(indent: number): Value[] {
    const out: Value[] = [];
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.end) break;
      const at = this.indents[this.pos] ?? 0;
      const content = this.contents[this.pos] ?? '';
      // A line at the sequence's indentation that is no item ends it (after an indentless sequence).
      if (at < indent || (at === indent && !isSequenceItem(content))) break;
      if (at > indent) outside();
      let rest = content.slice(1);
      let column = indent + 1;
      while (rest.startsWith(' ')) {
        rest = rest.slice(1);
        column += 1;
      }
      if (rest === '' || rest.startsWith('#')) {
        this.pos += 1;
        out.push(this.block(indent));
        continue;
      }
      if (isSequenceItem(rest) || keyEnd(rest) !== undefined) {
        // `- key: value` or `- - x`: the rest of the line is a node at its own column.
        this.indents[this.pos] = column;
        this.contents[this.pos] = rest;
        out.push(this.block(indent));
        continue;
      }
      out.push(this.inlineValue(rest));
      this.pos += 1;
      this.noContinuation(indent);
    }
    return out;
  }

  private mapping(indent: number): { [key: string]: Value } {
    const out: { [key: string]: Value } = {};
    const seen = new Set<string>();
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.end) break;
      const at = this.indents[this.pos] ?? 0;
      const content = this.contents[this.pos] ?? '';
      if (at < indent) break;
      if (at > indent || isSequenceItem(content)) outside();
      const split = keyEnd(content);
      if (split === undefined) outside();
      const key = readKey(content.slice(0, split.keyEnd));
      // Duplicates and keys that are special to JavaScript objects: the full parser decides.
      if (seen.has(key) || key === '__proto__' || key === '<<') outside();
      seen.add(key);
      const rest = content.slice(split.valueStart).trim();
      this.pos += 1;
      if (rest === '' || rest.startsWith('#')) {
        this.skipBlank();
        const next = this.pos < this.end ? (this.indents[this.pos] ?? 0) : -1;
        if (next > indent) {
          out[key] = this.block(indent);
        } else if (next === indent && isSequenceItem(this.contents[this.pos] ?? '')) {
          // An indentless sequence: `key:` then `- item` at the key's own indentation.
          out[key] = this.sequence(indent);
        } else {
          out[key] = '';
        }
        continue;
      }
      out[key] = this.inlineValue(rest);
      this.noContinuation(indent);
    }
    return out;
  }

  /** A line more indented than its scalar's node continues the scalar: multi-line, not ours. */
  private noContinuation(indent: number): void {
    this.skipBlank();
    if (this.pos < this.end && (this.indents[this.pos] ?? 0) > indent) outside();
  }

  /** A value on the same line as its key or dash: a one-line scalar or flow collection. */
  private inlineValue(text: string): Value {
    const c = text[0];
    if (c === '{' || c === '[') {
      const flow = new Flow(text);
      const value = flow.value();
      flow.end();
      return value;
    }
    if (c === "'" || c === '"') {
      const { value, next } = quoted(text, 0);
      const rest = text.slice(next).trim();
      if (rest !== '' && !rest.startsWith('#')) outside();
      return value;
    }
    return plainBlockScalar(text);
  }
}

function isSequenceItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

/** Where a `key: value` line's key ends and its value starts, or undefined when it is no mapping entry. */
function keyEnd(content: string): { keyEnd: number; valueStart: number } | undefined {
  const c = content[0];
  if (c === "'" || c === '"') {
    let next: number;
    try {
      next = quoted(content, 0).next;
    } catch (error) {
      if (error instanceof OutsideSubset) return undefined;
      throw error;
    }
    let i = next;
    while (content[i] === ' ') i += 1;
    if (content[i] !== ':') return undefined;
    if (i + 1 < content.length && content[i + 1] !== ' ') return undefined;
    return { keyEnd: next, valueStart: i + 1 };
  }
  if (c === '{' || c === '[' || c === '#' || c === undefined) return undefined;
  for (let i = 0; i < content.length; i += 1) {
    const ch = content[i];
    if (ch === '#' && content[i - 1] === ' ') return undefined;
    if (ch === ':' && (i + 1 === content.length || content[i + 1] === ' ')) {
      return { keyEnd: i, valueStart: i + 1 };
    }
  }
  return undefined;
}

function readKey(text: string): string {
  const c = text[0];
  if (c === "'" || c === '"') return quoted(text, 0).value;
  const key = text.trimEnd();
  if (key === '' || /^[&*!|>%@`?,[\]{}#'"-]/.test(key) || key.includes(' #') || key.includes('\t')) outside();
  return key;
}

/** A plain scalar that fills the rest of a block-context line (a ` #` comment ends it). */
function plainBlockScalar(text: string): string {
  let end = text.length;
  const comment = text.indexOf(' #');
  if (comment !== -1) end = comment;
  const value = text.slice(0, end).trim();
  if (value === '') return '';
  if (INDICATOR.test(value) || /^[,[\]{}#]/.test(value)) outside();
  if (/^[-:?](?: |$)/.test(value)) outside();
  // `a: b: c` is an error in YAML, and a value ending in `:` a nested mapping: the full parser decides.
  if (value.includes(': ') || value.endsWith(':') || value.includes('\t')) outside();
  return value;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  ' ': ' ',
};

/** A quoted scalar starting at `start` that closes on the same line. */
function quoted(text: string, start: number): { value: string; next: number } {
  const quote = text[start];
  let out = '';
  let i = start + 1;
  if (quote === "'") {
    for (;;) {
      const close = text.indexOf("'", i);
      if (close === -1) outside();
      out += text.slice(i, close);
      if (text[close + 1] === "'") {
        out += "'";
        i = close + 2;
        continue;
      }
      return { value: out, next: close + 1 };
    }
  }
  for (;;) {
    let j = i;
    while (j < text.length && text[j] !== '"' && text[j] !== '\\') j += 1;
    if (j >= text.length) outside();
    out += text.slice(i, j);
    if (text[j] === '"') return { value: out, next: j + 1 };
    const e = text[j + 1] ?? '';
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i = j + 2;
    } else if (e === 'u' || e === 'x') {
      const digits = e === 'u' ? 4 : 2;
      const hex = text.slice(j + 2, j + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) outside();
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i = j + 2 + digits;
    } else {
      outside();
    }
  }
}

/** A one-line flow collection: `{a: b, c: [d, 'e']}`. */
class Flow {
  private i = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.space();
    if (this.i < this.text.length && this.text[this.i] !== '#') outside();
    if (this.i < this.text.length && this.text[this.i - 1] !== ' ') outside();
  }

  private space(): void {
    while (this.text[this.i] === ' ') this.i += 1;
  }

  value(): Value {
    this.space();
    const c = this.text[this.i];
    if (c === '{') return this.map();
    if (c === '[') return this.seq();
    if (c === "'" || c === '"') {
      const { value, next } = quoted(this.text, this.i);
      this.i = next;
      return value;
    }
    return this.plain();
  }

  private plain(): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === ',' || c === ']' || c === '}' || c === '[' || c === '{') break;
      if (c === ':' && [' ', ',', ']', '}', undefined].includes(this.text[this.i + 1])) break;
      if (c === '#' && this.text[this.i - 1] === ' ') outside();
      this.i += 1;
    }
    const value = this.text.slice(start, this.i).trim();
    if (value === '' || INDICATOR.test(value) || /^[-:?](?: |$)/.test(value)) outside();
    return value;
  }

  private map(): { [key: string]: Value } {
    this.enter();
    this.i += 1;
    const out: { [key: string]: Value } = {};
    const seen = new Set<string>();
    for (;;) {
      this.space();
      if (this.text[this.i] === '}') {
        this.i += 1;
        break;
      }
      const key = this.value();
      if (typeof key !== 'string' || seen.has(key) || key === '__proto__' || key === '<<') outside();
      seen.add(key);
      this.space();
      if (this.text[this.i] !== ':') outside();
      this.i += 1;
      this.space();
      const c = this.text[this.i];
      out[key] = c === ',' || c === '}' ? '' : this.value();
      this.space();
      if (this.text[this.i] === ',') this.i += 1;
      else if (this.text[this.i] !== '}') outside();
    }
    this.depth -= 1;
    return out;
  }

  private seq(): Value[] {
    this.enter();
    this.i += 1;
    const out: Value[] = [];
    for (;;) {
      this.space();
      if (this.text[this.i] === ']') {
        this.i += 1;
        break;
      }
      out.push(this.value());
      this.space();
      if (this.text[this.i] === ',') this.i += 1;
      else if (this.text[this.i] !== ']') outside();
    }
    this.depth -= 1;
    return out;
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > 16) outside();
  }
}
