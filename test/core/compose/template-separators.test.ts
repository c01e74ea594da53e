import { describe, expect, it } from 'vitest';
import { composePost } from '../../../main/core/compose/compose';
import { checkTemplate, fixedWeight, parseTemplate, renderTemplate, type TemplateValues } from '../../../main/core/compose/template';
import { item } from './item-fixture';

const values: TemplateValues = {
  title: 'Title', link: 'https://e.com/a-b', summary: 'Summary', author: 'Ann', feed: 'Blog', date: '2026-12-02', hashtags: '#x',
};
const render = (template: string, v: Partial<TemplateValues> = {}): string => renderTemplate(parseTemplate(template), { ...values, ...v });

// This table is the rule, and the README's table of examples is drawn from it.
describe('separators next to an empty placeholder', () => {
  it.each<[string, Partial<TemplateValues>, string]>([
    // The run before the empty placeholder goes first …
    ['{title} — {author}, {date}', { author: '' }, 'Title, 2026-12-02'],
    ['{title} — {author}, {date}', { date: '' }, 'Title — Ann'],
    ['{title} — {author}, {date}', { author: '', date: '' }, 'Title'],
    ['{title} | {feed} | {link}', { feed: '' }, 'Title | https://e.com/a-b'],
    ['{title} · {author} · {date}', { author: '' }, 'Title · 2026-12-02'],
    ['{title}; {summary}', { summary: '' }, 'Title'],
    ['{title} – {author}', { author: '' }, 'Title'],
    ['{title} - {author}', { author: '' }, 'Title'],
    ['{title} -- {author}', { author: '' }, 'Title'],
    ['{title}: {summary} {link}', { summary: '' }, 'Title https://e.com/a-b'],
    ['{title} , — {author}!', { author: '' }, 'Title!'],
    // … and the run after it only when there is none before.
    ['{author}: {title}', { author: '' }, 'Title'],
    ['{feed} | {title} {link}', { feed: '' }, 'Title https://e.com/a-b'],
    ['{hashtags} · {title}', { hashtags: '' }, 'Title'],
    ['{title} {author}: {summary}', { author: '' }, 'Title Summary'],
    ['{feed} — {author}: {title}', { feed: '', author: '' }, 'Title'],
    ['{feed} — {author}: {title}', { feed: '' }, 'Ann: Title'],
    ['{link}\n{title} — {author}', { author: '' }, 'https://e.com/a-b\nTitle'],
    ['{title}\n— {author}', { author: '' }, 'Title'],
    // Nothing changes when the placeholder has a value.
    ['{title} — {author}, {date}', {}, 'Title — Ann, 2026-12-02'],
    ['{author}: {title}', {}, 'Ann: Title'],
  ])('renders %j with %j as %j', (template, v, expected) => {
    expect(render(template, v)).toBe(expected);
  });
});

describe('what the separator rule leaves alone', () => {
  it.each<[string, Partial<TemplateValues>, string]>([
    // A hyphen is a separator only with a space on each side: words and URLs keep theirs.
    ['{title} e-{author}', { author: '' }, 'Title e-'],
    ['{title}-{author}', { author: '' }, 'Title-'],
    ['{author}-mail: {title}', { author: '' }, '-mail: Title'],
    // Separators not next to the empty placeholder stay, and so do other characters.
    ['{title} — by {author}', { author: '' }, 'Title — by'],
    ['Re: {title} — {author}', { author: '' }, 'Re: Title'],
    ['{title} ({author})', { author: '' }, 'Title ()'],
    // A run stays on its line: the template's line breaks are kept.
    ['{title}:\n{summary}', { summary: '' }, 'Title:'],
    // Values are never edited, however they look.
    ['{title} — {author} {link}', { author: '', link: 'https://e.com/a - b;c' }, 'Title https://e.com/a - b;c'],
    ['{title} {link}', { title: 'Ends with a dash —', link: '' }, 'Ends with a dash —'],
    ['{summary} — {author}', { summary: 'x: ', author: '' }, 'x:'],
    // Escaped braces are literal text, not placeholders.
    ['{{author}}: {title}', { author: '' }, '{author}: Title'],
    ['{{{author}}}: {title}', { author: '' }, '{}: Title'],
  ])('renders %j with %j as %j', (template, v, expected) => {
    expect(render(template, v)).toBe(expected);
  });
});

describe('separators in the post Crier composes', () => {
  it('posts an item without an author without a dangling dash or comma', () => {
    const post = composePost(item({ title: 'Rust 2.0', author: null, published: '2026-12-02T10:00:00Z' }), {
      template: '{title} — {author}, {date}', maxHashtags: 3, feedTitle: null,
    });
    expect(post.text).toBe('Rust 2.0, 2026-12-02');
  });

  it('counts the fixed weight without the separators an emptied field drops, as the post would be', () => {
    // Every free field empty: what is left is "{date}" alone.
    expect(fixedWeight(parseTemplate('{title} — {author}, {date}'))).toBe('2000-01-01'.length);
    expect(() => checkTemplate(`{title} ${'—'.repeat(300)} {author}`)).not.toThrow();
  });
});
