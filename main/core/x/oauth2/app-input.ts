// The schema for "connect with OAuth 2.0": the user's app (client id, and secret for a confidential
// app) and, on the desktop, the loopback redirect port — for schemas.ts to export beside
// CredentialsSchema once the contract has the method.
import { z } from 'zod';
import { AccountId, validate } from '../../schemas';
import type { OAuth2App } from './types';

/** The desktop's default loopback redirect port; a setting, since X needs the exact URL registered. */
export const DEFAULT_REDIRECT_PORT = 8917;

export const OAuth2AppInputSchema = z.strictObject({
  clientId: z.string({ error: 'Enter the OAuth 2.0 client id.' }).trim()
    .min(1, 'Enter the OAuth 2.0 client id.')
    .max(200, 'The client id is at most 200 characters.')
    .regex(/^[\x21-\x7e]+$/, 'The client id has no spaces or special characters: copy it again from the app\'s Keys and tokens page.'),
  // Blank means none: a public app.
  clientSecret: z.string({ error: 'The client secret is text.' }).trim()
    .max(200, 'The client secret is at most 200 characters.')
    .regex(/^[\x21-\x7e]*$/, 'The client secret has no spaces or special characters: copy it again from the app\'s Keys and tokens page.')
    .nullable().optional(),
  // Which account the login is for (absent: the default one), or a new one beside the others.
  accountId: AccountId.optional(),
  addAccount: z.boolean({ error: 'addAccount is either true or false.' }).optional(),
});

export const RedirectPortSchema = z.number({ error: 'The redirect port is a whole number from 1024 to 65535.' })
  .int('The redirect port is a whole number from 1024 to 65535.')
  .min(1024, 'The redirect port is a whole number from 1024 to 65535.')
  .max(65_535, 'The redirect port is a whole number from 1024 to 65535.');

/** Throws a validation CommandError naming every offending field. */
export function parseOAuth2App(input: unknown): OAuth2App {
  return parseOAuth2Start(input).app;
}

/** The app, and whom the login is for: absent, the default account. */
export function parseOAuth2Start(input: unknown): { app: OAuth2App; target: { accountId?: string; add?: boolean } } {
  const parsed = validate(OAuth2AppInputSchema, input);
  const secret = parsed.clientSecret ?? '';
  const target = parsed.addAccount === true ? { add: true } : parsed.accountId !== undefined ? { accountId: parsed.accountId } : {};
  return { app: { clientId: parsed.clientId, clientSecret: secret === '' ? null : secret }, target };
}
