// The connect form's input: a client id, a secret only for a confidential app, the redirect port.
import { describe, expect, it } from 'vitest';
import { parseOAuth2App, RedirectPortSchema } from '../../../../main/core/x/oauth2/app-input';
import { CommandError } from '../../../../main/core/errors';

function issuesOf(input: unknown): Array<{ field: string; message: string }> {
  try {
    parseOAuth2App(input);
  } catch (err) {
    expect(err).toBeInstanceOf(CommandError);
    return (err as CommandError).issues ?? [];
  }
  throw new Error('expected a validation error');
}

describe('the OAuth 2.0 app input', () => {
  it('takes a public app (no secret, or a blank one) and a confidential one, trimmed', () => {
    expect(parseOAuth2App({ clientId: ' abc-123 ' })).toEqual({ clientId: 'abc-123', clientSecret: null });
    expect(parseOAuth2App({ clientId: 'abc', clientSecret: '  ' })).toEqual({ clientId: 'abc', clientSecret: null });
    expect(parseOAuth2App({ clientId: 'abc', clientSecret: null })).toEqual({ clientId: 'abc', clientSecret: null });
    expect(parseOAuth2App({ clientId: 'abc', clientSecret: 's3cr3t_-x' })).toEqual({ clientId: 'abc', clientSecret: 's3cr3t_-x' });
  });

  it('names every offending field at once', () => {
    const issues = issuesOf({ clientId: '', clientSecret: 'has space', extra: 1 });
    expect(issues).toHaveLength(3);
    expect(issues).toEqual(expect.arrayContaining([
      { field: 'extra', message: 'Unknown field: extra.' },
      { field: 'clientId', message: 'Enter the OAuth 2.0 client id.' },
      { field: 'clientSecret', message: "The client secret has no spaces or special characters: copy it again from the app's Keys and tokens page." },
    ]));
  });

  it('takes a redirect port from 1024 to 65535 only', () => {
    expect(RedirectPortSchema.safeParse(8917).success).toBe(true);
    for (const port of [80, 70_000, 8917.5, '8917']) expect(RedirectPortSchema.safeParse(port).success).toBe(false);
  });
});
