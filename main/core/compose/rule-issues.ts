// A feed's template and filters checked for every problem at once, not the first: the form marks
// each offending field. Reads only values of the right shape (the schema reports the others).
import type { FieldIssue } from '../../../preload/contract';
import { CommandError } from '../errors';
import { compileFilters } from './filters';
import { checkTemplate } from './template';

const strings = (x: unknown): string[] | null => (Array.isArray(x) && x.every((s) => typeof s === 'string') ? x : null);

function issueOf(err: unknown, field: string): FieldIssue {
  if (!(err instanceof CommandError)) throw err;
  // "include.2: /x(/ is not…": beside its field the path is noise.
  const message = err.message.startsWith(`${err.field ?? field}: `) ? err.message.slice((err.field ?? field).length + 2) : err.message;
  return { field, message: message.charAt(0).toUpperCase() + message.slice(1) };
}

/** The template's and each filter's problems, by field (`template`, `include.N`, `exclude.N`). */
export function feedRuleIssues(input: unknown): FieldIssue[] {
  if (typeof input !== 'object' || input === null) return [];
  const fields = input as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  if (typeof fields.template === 'string' && fields.template !== '') {
    try { checkTemplate(fields.template); } catch (err) { issues.push(issueOf(err, 'template')); }
  }
  const templates = fields.templates;
  if (typeof templates === 'object' && templates !== null) {
    for (const network of ['bluesky', 'mastodon'] as const) {
      const template = (templates as Record<string, unknown>)[network];
      if (typeof template !== 'string' || template === '') continue;
      try { checkTemplate(template); } catch (err) { issues.push(issueOf(err, `templates.${network}`)); }
    }
  }
  for (const list of ['include', 'exclude'] as const) {
    (strings(fields[list]) ?? []).forEach((raw, i) => {
      if (raw.trim() === '') return; // the schema's to report
      try {
        compileFilters(list === 'include' ? [raw] : [], list === 'exclude' ? [raw] : []);
      } catch (err) {
        issues.push(issueOf(err, `${list}.${i}`));
      }
    });
  }
  return issues;
}
