// Where a feed document's items lie, and their bodies within them, found in its bytes without
// parsing it. A poll uses it to parse the document twice but light (poll-parse.ts): once without
// the item bodies — every key is there — and once with only the items it needs whole. Bodies are
// most of a feed's bytes (an RSS item's description, an Atom entry's content), and no key is made
// of them (normalize.ts reads them only for a whole item).
//
// Only for bytes whose markup characters are ASCII (charset.ts asciiMarkup). Comments, CDATA
// sections and processing instructions are skipped, quoted attribute values may hold `>`, and a
// body may nest an element of its own name. Anything else unusual — an item inside an item, an end
// tag with no start, a document type with declarations, a document cut short — gives null, and the
// caller parses the whole document as it always did.

export type ByteRange = readonly [start: number, end: number];

export interface ItemRange {
  start: number;
  end: number;
  /** The body elements inside the item, start tag to end tag. */
  bodies: ByteRange[];
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ITEM_NAMES = ['item', 'entry'].map(ascii);
/** Elements no key reads (normalize.ts: only `rest()` does), and the bulk of a feed's bytes. */
const BODY_NAMES = ['description', 'content:encoded', 'content', 'summary', 'itunes:summary'].map(ascii);

const COMMENT = ascii('<!--');
const CDATA = ascii('<![CDATA[');
const DOCTYPE = ascii('<!DOCTYPE');

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

const endsName = (b: number | undefined): boolean => b === undefined || b === GT || b === SLASH || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

interface Tag {
  /** Where the `<` is. */
  start: number;
  /** Where the name starts and ends. */
  name: ByteRange;
  closing: boolean;
  selfClosing: boolean;
  /** Just past the `>`. */
  end: number;
}

function nameIs(bytes: Uint8Array, tag: Tag, name: Uint8Array): boolean {
  const [start, end] = tag.name;
  return end - start === name.length && startsWith(bytes, start, name);
}

const oneOf = (bytes: Uint8Array, tag: Tag, names: readonly Uint8Array[]): Uint8Array | null =>
  names.find((name) => nameIs(bytes, tag, name)) ?? null;

export class ItemScanner {
  private readonly buffer: Buffer;

  constructor(private readonly bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The items in document order, or null (see the header). */
  items(): ItemRange[] | null {
    const { bytes } = this;
    const items: ItemRange[] = [];
    let current: { start: number; name: Uint8Array; bodies: ByteRange[] } | null = null;
    let pos = 0;
    for (;;) {
      const tag = this.nextTag(pos);
      if (tag === 'end') return current ? null : items;
      if (!tag) return null;
      const lt = tag.start;
      pos = tag.end;
      const itemName = oneOf(bytes, tag, ITEM_NAMES);
      if (itemName) {
        if (tag.closing) {
          if (!current || current.name !== itemName) return null;
          items.push({ start: current.start, end: tag.end, bodies: current.bodies });
          current = null;
        } else if (current) {
          return null;
        } else if (tag.selfClosing) {
          items.push({ start: lt, end: tag.end, bodies: [] });
        } else {
          current = { start: lt, name: itemName, bodies: [] };
        }
        continue;
      }
      const bodyName = current && !tag.closing && !tag.selfClosing ? oneOf(bytes, tag, BODY_NAMES) : null;
      if (current && bodyName) {
        const end = this.elementEnd(bodyName, tag.end);
        if (end === null) return null;
        current.bodies.push([lt, end]);
        pos = end;
      }
    }
  }

  /** The next tag from `pos`, past comments and the like; 'end' when there is none, null when the markup is not plain. */
  private nextTag(from: number): Tag | 'end' | null {
    let pos = from;
    for (;;) {
      const lt = this.buffer.indexOf(LT, pos);
      if (lt < 0) return 'end';
      const skipped = this.skipSpecial(lt);
      if (skipped === null) return null;
      if (skipped === lt) return this.tagAt(lt);
      pos = skipped;
    }
  }

  /**
   * Past a comment, CDATA section, processing instruction or document type declaration starting
   * at `lt`; `lt` itself when it starts a tag; null when one is unterminated, or a document type
   * declares entities (the light copies would need them too, and are not worth the risk).
   */
  private skipSpecial(lt: number): number | null {
    const { bytes, buffer } = this;
    const next = bytes[lt + 1];
    if (next === QUESTION) {
      const end = buffer.indexOf('?>', lt + 2, 'latin1');
      return end < 0 ? null : end + 2;
    }
    if (next !== BANG) return lt;
    if (startsWith(bytes, lt, COMMENT)) {
      const end = buffer.indexOf('-->', lt + 4, 'latin1');
      return end < 0 ? null : end + 3;
    }
    if (startsWith(bytes, lt, CDATA)) {
      const end = buffer.indexOf(']]>', lt + CDATA.length, 'latin1');
      return end < 0 ? null : end + 3;
    }
    if (startsWith(bytes, lt, DOCTYPE)) {
      const end = buffer.indexOf(GT, lt);
      if (end < 0) return null;
      return buffer.subarray(lt, end).includes('[') ? null : end + 1;
    }
    return null;
  }

  /** The tag starting at `lt` (not a special one), or null when it never ends. */
  private tagAt(lt: number): Tag | null {
    const { bytes, buffer } = this;
    const closing = bytes[lt + 1] === SLASH;
    const nameStart = lt + (closing ? 2 : 1);
    let nameEnd = nameStart;
    while (nameEnd < bytes.length && !endsName(bytes[nameEnd])) nameEnd++;
    // A `<` that starts no name is text a lenient parser let through, not markup: too odd to cut.
    if (nameEnd === nameStart) return null;
    for (let i = nameEnd; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === QUOTE || b === APOSTROPHE) {
        const close = buffer.indexOf(b, i + 1);
        if (close < 0) return null;
        i = close;
      } else if (b === GT) {
        return { start: lt, name: [nameStart, nameEnd], closing, selfClosing: bytes[i - 1] === SLASH, end: i + 1 };
      } else if (b === LT) {
        return null;
      }
    }
    return null;
  }

  /** Just past the end tag of the element named `name` whose content starts at `from`. */
  private elementEnd(name: Uint8Array, from: number): number | null {
    let depth = 1;
    let pos = from;
    for (;;) {
      const tag = this.nextTag(pos);
      if (!tag || tag === 'end') return null;
      pos = tag.end;
      if (!nameIs(this.bytes, tag, name) || tag.selfClosing) continue;
      depth += tag.closing ? -1 : 1;
      if (depth === 0) return tag.end;
    }
  }
}

/** `bytes` with `cut` (ordered, not overlapping) left out. */
export function without(bytes: Uint8Array, cut: readonly ByteRange[]): Uint8Array {
  const kept = cut.reduce((n, [start, end]) => n - (end - start), bytes.length);
  const out = new Uint8Array(kept);
  let at = 0;
  let from = 0;
  for (const [start, end] of cut) {
    out.set(bytes.subarray(from, start), at);
    at += start - from;
    from = end;
  }
  out.set(bytes.subarray(from), at);
  return out;
}

/** The document without its item bodies. */
export const lightCopy = (bytes: Uint8Array, items: readonly ItemRange[]): Uint8Array => without(bytes, items.flatMap((item) => item.bodies));

/** The document with only the items at `keep` (indexes into `items`, ascending), whole. */
export function onlyItems(bytes: Uint8Array, items: readonly ItemRange[], keep: readonly number[]): Uint8Array {
  const wanted = new Set(keep);
  return without(bytes, items.flatMap((item, i): ByteRange[] => (wanted.has(i) ? [] : [[item.start, item.end]])));
}
