// The DOCTYPE is removed before parsing, so no external entity is ever fetched or read and no
// entity expansion happens inside the parser. Internal general entities with plain replacement
// text (no markup, no further references) are substituted by us, once, within a size budget:
// that covers real feeds that declare `<!ENTITY id "tag:…">` while a billion-laughs document,
// whose entities nest, stays unexpanded.

const DOCTYPE = /<!DOCTYPE\s+[A-Za-z_:][\w:.-]*(?:\s+(?:SYSTEM|PUBLIC)(?:\s+(?:"[^"]*"|'[^']*'))+)?\s*(?:\[([\s\S]*?)\]\s*)?>/;
const ENTITY = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
const MAX_EXPANSION = 1024 * 1024;

export function stripDoctype(xml: string): string {
  // A DOCTYPE can only come before the root element: look at the head only.
  const headEnd = Math.min(xml.length, 64 * 1024);
  const m = DOCTYPE.exec(xml.slice(0, headEnd));
  if (!m) return xml;
  const before = xml.slice(0, m.index);
  let rest = xml.slice(m.index + m[0].length);
  const entities = new Map<string, string>();
  for (const e of (m[1] ?? '').matchAll(ENTITY)) {
    const value = e[2] ?? e[3] ?? '';
    if (!/[<&%]/.test(value) && !entities.has(e[1]!)) entities.set(e[1]!, value);
  }
  if (entities.size > 0) {
    let growth = 0;
    const expanded = rest.replace(/&([A-Za-z_][\w.-]*);/g, (ref, name: string) => {
      const value = entities.get(name);
      if (value === undefined) return ref;
      growth += value.length;
      return value;
    });
    if (growth <= MAX_EXPANSION) rest = expanded;
  }
  return before + rest;
}
