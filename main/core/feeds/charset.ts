// Bytes → text. Order of evidence: a BOM, then the Content-Type charset, then the XML prolog,
// then UTF-8. Servers often mislabel, so two guards keep text readable: bytes declared as a
// single-byte charset that are in fact valid multi-byte UTF-8 are read as UTF-8 (never garble
// UTF-8), and bytes declared (or assumed) UTF-8 that are not valid UTF-8 fall back to
// windows-1252, the usual truth behind such feeds.
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

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

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
  return prolog && iconv.encodingExists(prolog) && !/^utf/i.test(prolog) ? prolog : 'windows-1252';
}

/** Decodes feed bytes to a string with no BOM. */
export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null): string {
  const encoding = detectEncoding(bytes, contentType);
  const bom = bomEncoding(bytes);
  const body = bom ? bytes.subarray(bom.length) : bytes;
  const text = /^utf-?8$/i.test(encoding)
    ? new TextDecoder('utf-8').decode(body)
    : iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), encoding);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
