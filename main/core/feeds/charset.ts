// Bytes → text. Order of evidence: a BOM, then the Content-Type charset, then the XML prolog,
// then UTF-8. Servers often mislabel, so two guards keep text readable: bytes declared as a
// single-byte charset that are in fact valid multi-byte UTF-8 are read as UTF-8 (never garble
// UTF-8), and bytes declared (or assumed) UTF-8 that are not UTF-8 fall back to windows-1252,
// the usual truth behind such feeds — unless they are UTF-8 but for a few stray bytes (see
// mostlyUtf8), which are read as UTF-8 with a replacement character for each stray.
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

const SINGLE_BYTE = /^(?:us-?ascii|ascii|iso[-_]?8859[-_]?\d+|latin-?\d|l\d|windows-125\d|cp125\d|cp819|ibm819|koi8-?[ru])$/i;

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** The charset parameter of a Content-Type header, if any. */
export function contentTypeCharset(contentType: string | null): string | null {
  if (!contentType) return null;
  const m = contentType.match(/;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i);
  const value = (m?.[1] ?? m?.[2] ?? '').trim();
  return value === '' ? null : value;
}

/** The encoding named in an `<?xml … encoding="…"?>` prolog, read from the first bytes. */
export function prologEncoding(bytes: Uint8Array): string | null {
  // UTF-16 without a BOM: "<?" as 16-bit units.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  const m = head.match(/^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/);
  return m?.[1] ?? null;
}

// Node's validators check the bytes without decoding them: the document is decoded once, after
// its encoding is known, not once to test and again to read.
const isValidUtf8 = (bytes: Uint8Array): boolean => isUtf8(bytes);

/** How many non-ASCII sequences are well-formed UTF-8, and how many are not (WHATWG counting). */
export function utf8Evidence(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    // Continuation bytes a lead needs, and the range of the first (no overlongs, no surrogates).
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0) { invalid++; i++; continue; }
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let j = 1;
    for (; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || c < (j === 1 ? lo : 0x80) || c > (j === 1 ? hi : 0xbf)) break;
    }
    if (j > need) { valid++; i += need + 1; } else { invalid++; i += j; }
  }
  return { valid, invalid };
}

/**
 * UTF-8 but for a few stray bytes: well-formed sequences outnumber the broken ones at least
 * 2 to 1 (so ≥ 99 % of them always qualifies). Latin-1 and windows-1252 text is almost never
 * well-formed UTF-8 — an accented letter would have to be followed by a symbol or a C1
 * control — so its share of well-formed sequences sits near zero, while a UTF-8 feed with one
 * stray 0xFF still has every accent, dash and curly quote well-formed. A strict 99 % would read
 * a mostly-English UTF-8 feed with 50 curly quotes and one stray as windows-1252 and post
 * mojibake ("CafÃ© ZÃ¼rich") for the whole feed.
 */
export function mostlyUtf8(bytes: Uint8Array): boolean {
  const { valid, invalid } = utf8Evidence(bytes);
  return valid > 0 && valid >= 2 * invalid;
}

const hasNonAscii = (bytes: Uint8Array): boolean => !isAscii(bytes);

/** Chooses the encoding for `bytes`; exported for tests and diagnostics. */
export function detectEncoding(bytes: Uint8Array, contentType: string | null): string {
  const bom = bomEncoding(bytes);
  if (bom) return bom.encoding;
  const prolog = prologEncoding(bytes);
  const declared = [contentTypeCharset(contentType), prolog]
    .find((e): e is string => e !== null && iconv.encodingExists(e));
  if (declared && /^utf-?16/i.test(declared)) {
    // A "UTF-16" label on bytes that read as ASCII is a lie (the prolog was readable as ASCII).
    return bytes[0] === 0x00 || bytes[1] === 0x00 ? declared : 'utf-8';
  }
  if (declared && !/^utf-?8$/i.test(declared)) {
    if (SINGLE_BYTE.test(declared) && hasNonAscii(bytes) && isValidUtf8(bytes)) return 'utf-8';
    return declared;
  }
  if (isValidUtf8(bytes)) return 'utf-8';
  // Labelled (or assumed) UTF-8 but not UTF-8: the prolog may know better.
  if (prolog && iconv.encodingExists(prolog) && !/^utf/i.test(prolog)) return prolog;
  return mostlyUtf8(bytes) ? 'utf-8' : 'windows-1252';
}

/** Decodes feed bytes to a string with no BOM. */
export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null): string {
  return decodeAs(bytes, detectEncoding(bytes, contentType));
}

/**
 * Decodes `bytes` as `encoding` (detectEncoding's answer), BOM dropped: for a part of a document
 * whose encoding was worked out from the whole (a part alone could tell another story).
 */
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  const bom = bomEncoding(bytes);
  const body = bom ? bytes.subarray(bom.length) : bytes;
  const text = /^utf-?8$/i.test(encoding)
    ? new TextDecoder('utf-8').decode(body)
    : iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), encoding);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Whether markup in `encoding` can be found byte by byte: `<`, `>` and `/` are their ASCII bytes
 * and never part of another character (UTF-8 and the single-byte charsets, not UTF-16, nor the
 * East Asian multi-byte ones, where an escape sequence can hold them).
 */
export function asciiMarkup(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding) || SINGLE_BYTE.test(encoding);
}
