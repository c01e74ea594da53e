// Feed dates come as RFC 822, W3CDTF / ISO 8601 or worse. One unreadable date yields null,
// never an error: one bad item must not sink the feed.

const ISO = /^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|[+-]\d\d:?\d\d|[+-]\d\d)?$/i;

function fromIso(m: RegExpMatchArray): number {
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = Number(`0.${frac || '0'}`) * 1000;
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  // A W3CDTF time without a zone is read as UTC, not as this machine's local time.
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(ms)) - offset * 60_000;
}

const ZONES: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300,
  MST: -420, MDT: -360, PST: -480, PDT: -420 };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 822 / 2822, tolerant: optional weekday (often wrong, ignored), 2- or 4-digit year,
// optional seconds, numeric or named zone (none = UTC).
const RFC822 = /^(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})(?:\s+(\d{1,2}):(\d\d)(?::(\d\d))?)?\s*(?:([+-])(\d\d):?(\d\d)|([A-Za-z]{1,5}))?$/;

function fromRfc822(m: RegExpMatchArray): number {
  const [, d, mon, y, h = '0', mi = '0', s = '0', sign, oh, om, zone] = m;
  const month = MONTHS.indexOf(mon!.slice(0, 3).toLowerCase());
  if (month < 0) return NaN;
  let year = Number(y);
  if (y!.length === 2) year += year < 50 ? 2000 : 1900;
  let offset = 0;
  if (sign) offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  else if (zone) offset = ZONES[zone.toUpperCase()] ?? 0;
  return Date.UTC(year, month, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
}

/** Any feed date → ISO 8601 UTC, or null. */
export function toIsoUtc(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '') return null;
  const iso = text.match(ISO);
  const rfc = iso ? null : text.match(RFC822);
  let time = iso ? fromIso(iso) : rfc ? fromRfc822(rfc) : NaN;
  // Last resort for odd but unambiguous forms ("June 3, 2025 09:39 GMT"): the engine's reader,
  // trusted only when a four-digit year is visible.
  if (Number.isNaN(time) && /\b\d{4}\b/.test(text)) time = Date.parse(text);
  if (!Number.isFinite(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year < 1900 || year > 9999) return null;
  return date.toISOString();
}
