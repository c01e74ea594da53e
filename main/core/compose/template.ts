// The template language: `{name}` placeholders, `{{` and `}}` for literal braces, everything
// else literal. A template is parsed once and rejected early, with the reason, rather than
// posting a stray "{titel}" to X.
import { CommandError } from '../errors';
import { dropSeparatorsAroundEmpty } from './separators';
import { MAX_POST_WEIGHT, URL_WEIGHT, weightedLength } from './weighted-length';

export const PLACEHOLDERS = ['title', 'link', 'summary', 'author', 'feed', 'date', 'hashtags'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'placeholder'; name: Placeholder };

const isPlaceholder = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);
const PLACEHOLDER_LIST = PLACEHOLDERS.map((p) => `{${p}}`).join(' ');

// Order matters: the doubled braces win over a placeholder, so "{{title}}" is the literal "{title}".
const TOKEN = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;

function fail(message: string): never {
  throw new CommandError('validation', message, 'template');
}

/** Splits a template into literal text and placeholders; throws a validation CommandError naming what is wrong. */
export function parseTemplate(template: string): TemplatePart[] {
  if (template.trim() === '') fail('The template cannot be empty.');
  const parts: TemplatePart[] = [];
  const unknown: string[] = [];
  let text = '';
  let last = 0;
  for (const match of template.matchAll(TOKEN)) {
    text += template.slice(last, match.index);
    last = match.index + match[0].length;
    const token = match[0];
    if (token === '{{') text += '{';
    else if (token === '}}') text += '}';
    else if (token === '{' || token === '}') {
      fail(`The template has an unmatched "${token}"; write "${token}${token}" for a literal brace.`);
    } else {
      const name = match[1] ?? '';
      if (!isPlaceholder(name)) {
        unknown.push(name);
        continue;
      }
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'placeholder', name });
    }
  }
  text += template.slice(last);
  if (text) parts.push({ kind: 'text', text });

  if (unknown.length > 0) {
    const named = unknown.map((u) => {
      const near = PLACEHOLDERS.find((p) => p === u.trim().toLowerCase());
      return near ? `{${u}} (did you mean {${near}}?)` : `{${u}}`;
    });
    const noun = unknown.length > 1 ? 'placeholders' : 'placeholder';
    fail(`Unknown template ${noun} ${named.join(', ')}; the placeholders are ${PLACEHOLDER_LIST}.`);
  }
  if (!parts.some((p) => p.kind === 'placeholder')) {
    fail(`The template has no placeholder, so every post would be the same text; use some of ${PLACEHOLDER_LIST}.`);
  }
  return parts;
}

export function placeholdersIn(parts: readonly TemplatePart[]): Set<Placeholder> {
  return new Set(parts.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : [])));
}

/**
 * Fills the placeholders and tidies: an empty placeholder takes the separator run before it
 * (else the one after it) along (see separators.ts), spaces and tabs collapse to one per run,
 * each line is trimmed, at most one blank line survives, and the whole is trimmed. The
 * template's own line breaks stay.
 */
export function renderTemplate(parts: readonly TemplatePart[], values: TemplateValues): string {
  // texts[k] is the literal text before placeholder k ('' where two placeholders touch).
  const texts: string[] = [];
  const names: Placeholder[] = [];
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      text += part.text;
    } else {
      texts.push(text);
      names.push(part.name);
      text = '';
    }
  }
  texts.push(text);
  const kept = dropSeparatorsAroundEmpty(texts, names.map((name) => values[name].trim() === ''));
  const raw = names.reduce((out, name, k) => out + values[name] + (kept[k + 1] ?? ''), kept[0] ?? '');
  return raw
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A URL-shaped stand-in: X counts every link as 23 whatever it is. */
const SAMPLE_LINK = 'https://example.com/';
const SAMPLE_DATE = '2000-01-01';

/** The weight of what no truncation can shorten: the literal text, each {link} (23) and each {date}. */
export function fixedWeight(parts: readonly TemplatePart[]): number {
  const values: TemplateValues = { title: '', link: SAMPLE_LINK, summary: '', author: '', feed: '', date: SAMPLE_DATE, hashtags: '' };
  return weightedLength(renderTemplate(parts, values));
}

/**
 * Throws CommandError('validation', …, 'template') for an unknown placeholder, an unmatched
 * brace, a template with no placeholder, or one whose fixed parts alone exceed X's 280.
 */
export function checkTemplate(template: string): void {
  const parts = parseTemplate(template);
  const fixed = fixedWeight(parts);
  if (fixed > MAX_POST_WEIGHT) {
    fail(`The template's fixed text weighs ${fixed} of the ${MAX_POST_WEIGHT} characters X allows (each {link} counts ${URL_WEIGHT}); shorten it.`);
  }
}
