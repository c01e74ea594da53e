// Links from feeds are resolved against xml:base and the document URL; only http(s) survives.

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20 || text.charCodeAt(i) === 0x7f) return true;
  return false;
}

/** Resolves `ref` against `base`; returns the absolute URL string or null when unparsable. */
export function resolveUrl(ref: string | undefined | null, base: string | null): string | null {
  if (typeof ref !== 'string') return null;
  const trimmed = ref.trim();
  if (trimmed === '') return null;
  try {
    const url = base ? new URL(trimmed, base) : new URL(trimmed);
    // An absolute link is kept as the feed wrote it (URL would lower-case the host, re-encode…);
    // only links that need resolving, or carry whitespace, take the parsed form.
    if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/\s/.test(trimmed) && !hasControlChar(trimmed)) return trimmed;
    return url.href;
  } catch {
    return null;
  }
}

/** Like resolveUrl, but anything other than http: / https: becomes null. */
export function httpUrl(ref: string | undefined | null, base: string | null): string | null {
  const url = resolveUrl(ref, base);
  return url !== null && /^https?:/i.test(url) ? url : null;
}

/** The base for children of a node carrying xml:base (itself relative to the parent's base). */
export function childBase(xmlBase: string | undefined, parent: string | null): string | null {
  if (!xmlBase) return parent;
  return resolveUrl(xmlBase, parent) ?? parent;
}
