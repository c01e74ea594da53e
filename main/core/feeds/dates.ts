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

const ZONES: Record<string, string> = { UT: '+0000', UTC: '+0000', GMT: '+0000', Z: '+0000', EST: '-0500', EDT: '-0400',
  CST: '-0600', CDT: '-0500', MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700' };

/** Any feed date → ISO 8601 UTC, or null. */
export function toIsoUtc(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '') return null;
  let time: number;
  const iso = text.match(ISO);
  if (iso) {
    time = fromIso(iso);
  } else {
    // RFC 822: drop the weekday (often wrong), normalise named zones, let the engine read the rest.
    const cleaned = text
      .replace(/^[A-Za-z]{2,9},?\s*/, '')
      .replace(/\b([A-Z]{1,4})$/, (zone) => ZONES[zone] ?? zone);
    time = Date.parse(/[+-]\d{4}$/.test(cleaned) ? cleaned : `${cleaned} +0000`);
    if (Number.isNaN(time)) time = Date.parse(text);
  }
  if (!Number.isFinite(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year < 1900 || year > 9999) return null;
  return date.toISOString();
}
