// OPML read a slice at a time, so a file of 10,000 outlines never holds the event loop: one pass
// checks that the XML is well formed and collects the outlines, pausing every `tagsPerSlice`
// tags. It reads what parseOpml (opml.ts, fast-xml-parser + feedsmith) reads — every outline with
// an xmlUrl under <opml><body>, folders flattened, attribute names in any case, entities decoded
// once as feedsmith decodes them — and test/core/opml-scan.test.ts holds the two together. It
// exists because that parse is one synchronous call: about 135 ms for 1,000 outlines on a cold
// start here, several hundred for 10,000.
import { decodeHTML } from 'entities';
import { CommandError } from './errors';
import type { OpmlEntry } from './opml';

/** Tags read between two pauses: a few milliseconds of work even before the JIT warms up. */
export const TAGS_PER_SLICE = 200;

function invalid(reason: string): CommandError {
  return new CommandError('validation', `Not a valid OPML document: ${reason}`, 'opml');
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isNameStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

/** feedsmith's reading of an attribute: entities decoded when there may be one, trimmed, '' is absent. */
function attributeText(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const amp = raw.indexOf('&');
  const decoded = amp !== -1 && raw.indexOf(';', amp) !== -1 ? decodeHTML(raw) : raw;
  return decoded.trim() || undefined;
}

/**
 * The outlines of an OPML document, as a generator that yields between slices (drive it with
 * readOpml below, or run it through for a synchronous read). Throws a validation CommandError
 * naming the line and column of malformed XML, or saying the document is not OPML.
 */
export function* scanOpml(xml: string, tagsPerSlice = TAGS_PER_SLICE): Generator<void, OpmlEntry[], void> {
  const s = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (s.trim() === '') throw invalid('the file is empty.');

  const malformed = (at: number): CommandError => {
    let line = 1;
    let lineStart = 0;
    for (let k = s.indexOf('\n'); k !== -1 && k < at; k = s.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    return invalid(`the XML is malformed near line ${line}, column ${Math.min(at, s.length) - lineStart + 1}.`);
  };
  const nameEnd = (from: number): number => {
    if (from >= s.length || !isNameStart(s.charCodeAt(from))) return from;
    let j = from + 1;
    while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
    return j;
  };
  const skipSpace = (from: number): number => {
    let j = from;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    return j;
  };
  const closeOf = (from: number, marker: string): number => {
    const end = s.indexOf(marker, from);
    if (end === -1) throw malformed(from);
    return end + marker.length;
  };

  const open: string[] = [];
  /** Per open element: whether outlines directly inside it are read (<body> and outlines under it). */
  const reads: boolean[] = [];
  let root: string | null = null;
  let rootClosed = false;
  let body = false;
  const entries: OpmlEntry[] = [];
  let tags = 0;
  let i = 0;

  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt === -1 ? s.length : lt;
    if (open.length === 0) {
      // Outside the root only blank space may stand between markup.
      const j = skipSpace(i);
      if (j < textEnd) throw malformed(j);
    }
    if (lt === -1) break;
    i = lt;

    if (s.startsWith('<!--', i)) {
      i = closeOf(i + 4, '-->');
    } else if (s.startsWith('<![CDATA[', i)) {
      if (open.length === 0) throw malformed(i);
      i = closeOf(i + 9, ']]>');
    } else if (s.startsWith('<?', i)) {
      const end = nameEnd(i + 2);
      if (end === i + 2) throw malformed(i + 2);
      // The XML declaration may only open the document.
      if (s.slice(i + 2, end).toLowerCase() === 'xml' && i !== 0) throw malformed(i);
      i = closeOf(end, '?>');
    } else if (s.startsWith('<!DOCTYPE', i)) {
      if (root !== null) throw malformed(i);
      i = skipDoctype(i + 9);
    } else if (s.charCodeAt(i + 1) === 0x2f) {
      const end = nameEnd(i + 2);
      const j = skipSpace(end);
      if (end === i + 2 || s.charCodeAt(j) !== 0x3e || open.pop() !== s.slice(i + 2, end)) throw malformed(i);
      reads.pop();
      if (open.length === 0) rootClosed = true;
      i = j + 1;
      if (++tags % tagsPerSlice === 0) yield;
    } else {
      if (rootClosed) throw malformed(i);
      const end = nameEnd(i + 1);
      if (end === i + 1) throw malformed(i + 1);
      const name = s.slice(i + 1, end);
      const attributes = new Map<string, string>();
      const seen = new Set<string>();
      let j = end;
      for (;;) {
        const gap = skipSpace(j);
        const c = s.charCodeAt(gap);
        if (c === 0x3e || c === 0x2f) {
          j = gap;
          break;
        }
        const attrEnd = nameEnd(gap);
        if (gap === j || attrEnd === gap) throw malformed(gap);
        const attr = s.slice(gap, attrEnd);
        if (seen.has(attr)) throw malformed(gap);
        seen.add(attr);
        let k = skipSpace(attrEnd);
        if (s.charCodeAt(k) !== 0x3d) throw malformed(k);
        k = skipSpace(k + 1);
        const quote = s[k];
        if (quote !== '"' && quote !== "'") throw malformed(k);
        const close = s.indexOf(quote, k + 1);
        if (close === -1) throw malformed(k);
        attributes.set(attr.toLowerCase(), s.slice(k + 1, close));
        j = close + 1;
      }
      const selfClosing = s.charCodeAt(j) === 0x2f;
      if (selfClosing && s.charCodeAt(j + 1) !== 0x3e) throw malformed(j);
      i = j + (selfClosing ? 2 : 1);

      const lower = name.toLowerCase();
      let readsInside = false;
      if (root === null) {
        root = lower;
      } else if (open.length === 1 && root === 'opml' && lower === 'body' && !body) {
        body = true;
        readsInside = true;
      } else if (reads[reads.length - 1] && lower === 'outline') {
        readsInside = true;
        const url = attributeText(attributes.get('xmlurl'));
        if (url) entries.push({ title: attributeText(attributes.get('text')) ?? attributeText(attributes.get('title')) ?? null, url });
      }
      if (selfClosing) {
        if (open.length === 0) rootClosed = true;
      } else {
        open.push(name);
        reads.push(readsInside);
      }
      if (++tags % tagsPerSlice === 0) yield;
    }
  }
  if (open.length > 0 || root === null) throw malformed(s.length);
  if (root !== 'opml' || !body) throw invalid('there is no <opml> element with a <body>.');
  return entries;

  /** Past `<!DOCTYPE …>`, its internal subset, quoted strings and comments included; no entity is read. */
  function skipDoctype(from: number): number {
    let depth = 0;
    let j = from;
    while (j < s.length) {
      const c = s[j];
      if (c === '"' || c === "'") {
        const close = s.indexOf(c, j + 1);
        if (close === -1) break;
        j = close + 1;
      } else if (s.startsWith('<!--', j)) {
        j = closeOf(j + 4, '-->');
      } else {
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) return j + 1;
        j++;
      }
    }
    throw malformed(from);
  }
}

/** The whole document at once: what a caller with nothing else to serve can use. */
export function scanOpmlSync(xml: string): OpmlEntry[] {
  const scan = scanOpml(xml);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
  }
}

/** The whole document, awaiting `pause` between slices so other work runs in between. */
export async function readOpml(xml: string, pause: () => Promise<void>, tagsPerSlice = TAGS_PER_SLICE): Promise<OpmlEntry[]> {
  const scan = scanOpml(xml, tagsPerSlice);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
    await pause();
  }
}
