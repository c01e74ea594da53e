// A filter's /pattern/ is written in JavaScript syntax but run by RE2, which matches in time
// linear in the text whatever the pattern: no feed can make a filter hang. This rewrites what
// the two spell differently so a pattern keeps its JavaScript meaning, and names what RE2
// lacks (backreferences, lookaround) so the filter is refused when saved, not when matched.

export type Translation = { ok: true; pattern: string } | { ok: false; lacks: string };

// JavaScript's \s, exactly: RE2's \s is [\t\n\f\r ] only.
const JS_SPACE = '\\s\\x0B\\p{Z}\\x{FEFF}';
// JavaScript's . without the s flag; RE2's . stops at \n alone.
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
const ANY = '\\x{0}-\\x{10FFFF}';
// \p{Script=Greek} and \p{gc=Lu} are \p{Greek} and \p{Lu} in RE2.
const PROPERTY = /^\{(?:Script|sc|General_Category|gc)=([A-Za-z_]+)\}/;
const CODE_UNIT = /^[0-9A-Fa-f]{4}/;
const CODE_POINT = /^\{([0-9A-Fa-f]{1,6})\}/;
const hex = (n: number): string => `\\x{${n.toString(16).toUpperCase()}}`;

/** The code point a \u escape at `rest` (just after "\u") stands for, and how many characters it took. */
function unicodeEscape(rest: string): { code: number; length: number } | null {
  const braced = CODE_POINT.exec(rest);
  if (braced?.[1] !== undefined) return { code: Number.parseInt(braced[1], 16), length: braced[0].length };
  const unit = CODE_UNIT.exec(rest);
  if (!unit) return null;
  const high = Number.parseInt(unit[0], 16);
  // A surrogate pair written as two escapes is one character.
  const low = rest.slice(4, 6) === '\\u' ? CODE_UNIT.exec(rest.slice(6)) : null;
  const lowCode = low ? Number.parseInt(low[0], 16) : 0;
  if (high >= 0xd800 && high <= 0xdbff && lowCode >= 0xdc00 && lowCode <= 0xdfff) {
    return { code: 0x10000 + ((high - 0xd800) << 10) + (lowCode - 0xdc00), length: 10 };
  }
  return { code: high, length: 4 };
}

/** `pattern` (JavaScript syntax, without slashes) in RE2 syntax, or what it uses that RE2 has not. */
export function jsToRe2(pattern: string, dotAll: boolean): Translation {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      const rest = pattern.slice(i + 2);
      if (/[1-9]/.test(next)) return { ok: false, lacks: `a backreference (\\${/^\d*/.exec(pattern.slice(i + 1))?.[0] ?? next})` };
      if (next === 'k' && rest.startsWith('<')) return { ok: false, lacks: `a backreference (\\k${rest.slice(0, rest.indexOf('>') + 1)})` };
      const property = next === 'p' || next === 'P' ? PROPERTY.exec(rest) : null;
      const escape = next === 'u' ? unicodeEscape(rest) : null;
      const control = next === 'c' ? /^[A-Za-z]/.exec(rest) : null;
      i += 2;
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${JS_SPACE}]`;
      else if (property) {
        out += `\\${next}{${property[1]}}`;
        i += property[0].length;
      } else if (escape) {
        out += hex(escape.code);
        i += escape.length;
      } else if (control) {
        out += hex(control[0].charCodeAt(0) % 32);
        i += 1;
      } else {
        out += c + next;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      i += 1;
      continue;
    }
    if (c === '[') {
      // In JavaScript [] matches nothing and [^] anything; RE2 would read the ] as a member.
      if (pattern.startsWith('[]', i)) {
        out += `[^${ANY}]`;
        i += 2;
      } else if (pattern.startsWith('[^]', i)) {
        out += `[${ANY}]`;
        i += 3;
      } else {
        inClass = true;
        out += c;
        i += 1;
      }
      continue;
    }
    if (c === '(' && (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i))) return { ok: false, lacks: `a lookahead (${pattern.slice(i, i + 3)})` };
    if (c === '(' && (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i))) return { ok: false, lacks: `a lookbehind (${pattern.slice(i, i + 4)})` };
    out += c === '.' && !dotAll ? JS_DOT : c;
    i += 1;
  }
  return { ok: true, pattern: out };
}
