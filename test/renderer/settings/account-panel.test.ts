import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../../preload/contract';
import { accountLines } from '../../../renderer/settings/account-panel';

const base: AccountState = { connected: true, handle: 'crier_demo', method: 'oauth1', dryRun: false, secretsProtected: true };
const titles = (a: AccountState, host: 'desktop' | 'headless' = 'desktop'): string[] => accountLines(a, host).map((l) => l.title);

describe('accountLines', () => {
  it('names the connected account', () => {
    expect(titles(base)).toEqual(['Connected as @crier_demo']);
  });
  it('says connected without inventing a handle when the environment gave none', () => {
    const [line] = accountLines({ ...base, handle: null }, 'headless');
    expect(line?.title).toBe('Connected to X');
    expect(line?.detail).toContain('Test connection shows which account.');
  });
  it('says Crier runs dry without an account', () => {
    expect(titles({ ...base, connected: false, handle: null, method: null, dryRun: true })).toEqual(['Dry run — no account']);
  });
  it('warns when the credentials are stored without OS encryption', () => {
    expect(titles({ ...base, secretsProtected: false })).toEqual(['Connected as @crier_demo', 'Stored without OS encryption']);
  });
  it('marks a connected account that runs dry by choice', () => {
    expect(titles({ ...base, dryRun: true })).toEqual(['Connected as @crier_demo', 'Dry run is on']);
  });
  it('does not warn about storage on a server with nothing stored', () => {
    expect(titles({ ...base, connected: false, handle: null, dryRun: true, secretsProtected: false }, 'headless')).toEqual(['Dry run — no account']);
  });
});

describe('accountLines with OAuth 2.0', () => {
  const oauth2: AccountState = { ...base, method: 'oauth2', handle: 'crier_oauth', failure: null };
  it('says the sign-in is OAuth 2.0, and not from the environment on a server', () => {
    const [line] = accountLines(oauth2, 'headless');
    expect(line?.detail).toBe('Signed in with OAuth 2.0.');
  });
  it('says why X stopped renewing the sign-in, after the account it is about', () => {
    const lines = accountLines({ ...oauth2, failure: { reason: 'grant-refused', message: 'X refused to renew the sign-in.' } }, 'desktop');
    expect(lines.map((l) => l.title)).toEqual(['Connected as @crier_oauth', 'X stopped renewing the sign-in']);
    expect(lines[1]).toMatchObject({ tone: 'warn', detail: 'X refused to renew the sign-in. Posting waits until you reconnect below.' });
  });
});
