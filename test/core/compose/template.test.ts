import { describe, expect, it } from 'vitest';
import { checkTemplate, parseTemplate, renderTemplate, type TemplateValues } from '../../../main/core/compose/template';
import { CommandError } from '../../../main/core/errors';

const values: TemplateValues = { title: 'T', link: 'https://e.com/', summary: 'S', author: 'A', feed: 'F', date: '2026-01-02', hashtags: '#x' };
const render = (template: string, v: Partial<TemplateValues> = {}): string => renderTemplate(parseTemplate(template), { ...values, ...v });

function validationError(template: string): CommandError {
  try {
    checkTemplate(template);
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(template)} to be rejected`);
}

describe('template rendering', () => {
  it.each([
    ['{title} {link}', {}, 'T https://e.com/'],
    ['{title} by {author} in {feed} on {date}: {summary} {hashtags}', {}, 'T by A in F on 2026-01-02: S #x'],
    ['{{title}} is {title}', {}, '{title} is T'],
    ['{{{title}}}', {}, '{T}'],
    ['a }} b {{ {link}', {}, 'a } b { https://e.com/'],
    ['{title}\n\n{summary}\n{link}', {}, 'T\n\nS\nhttps://e.com/'],
    ['{title}\n\n{summary}\n\n{link}', { summary: '' }, 'T\n\nhttps://e.com/'],
    ['  {title}   {author}  {link}  ', { author: '' }, 'T https://e.com/'],
    ['{title}\t\t{link}', {}, 'T https://e.com/'],
    ['{title} {title}', {}, 'T T'],
  ])('renders %j as the post text', (template, v, expected) => {
    expect(render(template, v)).toBe(expected);
  });
});

describe('checkTemplate', () => {
  it.each(['{title} {link}', '{summary}', '{{literal}} {link}', '🎉 New: {title} {link} {hashtags}', '{title}\n{date}'])('accepts %j', (template) => {
    expect(() => checkTemplate(template)).not.toThrow();
  });

  it('names every unknown placeholder in one validation error on the template field', () => {
    const err = validationError('{title} {titel} {url}');
    expect(err.code).toBe('validation');
    expect(err.field).toBe('template');
    expect(err.message).toContain('{titel}');
    expect(err.message).toContain('{url}');
    expect(err.message).toContain('{title} {link} {summary} {author} {feed} {date} {hashtags}');
  });

  it('suggests the right spelling for a placeholder written in the wrong case', () => {
    expect(validationError('{Title} {link}').message).toContain('{Title} (did you mean {title}?)');
  });

  it.each(['{title', 'title} {link}', '{title} {link'])('rejects the unmatched brace in %j and says how to write a literal one', (template) => {
    expect(validationError(template).message).toMatch(/unmatched "[{}]".*"(\{\{|\}\})"/);
  });

  it('rejects an empty template and one without placeholders', () => {
    expect(validationError('   ').message).toBe('The template cannot be empty.');
    expect(validationError('always the same').message).toContain('no placeholder');
  });

  it('rejects a template whose fixed text alone is over 280 and gives its weight', () => {
    const err = validationError(`${'x'.repeat(281)} {title}`);
    expect(err.message).toContain('weighs 281 of the 280');
  });

  it('counts each {link} as 23 and emoji as 2 in the fixed parts', () => {
    expect(() => checkTemplate(`${'x'.repeat(256)} {link}`)).not.toThrow();
    expect(validationError(`${'x'.repeat(257)} {link}`).message).toContain('weighs 281');
    expect(validationError(`${'🎉'.repeat(141)}{title}`).message).toContain('weighs 282');
  });

  it('counts a URL written into the template as 23', () => {
    expect(() => checkTemplate(`${'x'.repeat(250)} https://example.com/${'p'.repeat(200)} {title}`)).not.toThrow();
  });
});
