import { describe, expect, it } from 'vitest';
import { apiBaseFromEnv, credentialsFromEnv, missingCredentialVars } from '../../../main/core/x/credentials';

const FULL = {
  CRIER_X_APP_KEY: ' key ',
  CRIER_X_APP_SECRET: 'secret',
  CRIER_X_ACCESS_TOKEN: 'token',
  CRIER_X_ACCESS_SECRET: 'token-secret',
};

describe('credentialsFromEnv', () => {
  it('reads all four variables, trimmed', () => {
    expect(credentialsFromEnv(FULL)).toEqual({ appKey: 'key', appSecret: 'secret', accessToken: 'token', accessSecret: 'token-secret' });
  });

  it('gives null when any variable is missing or blank, and names the missing ones', () => {
    const partial = { ...FULL, CRIER_X_ACCESS_SECRET: '  ', CRIER_X_APP_KEY: undefined };
    expect(credentialsFromEnv(partial)).toBeNull();
    expect(missingCredentialVars(partial)).toEqual(['CRIER_X_APP_KEY', 'CRIER_X_ACCESS_SECRET']);
    expect(credentialsFromEnv({})).toBeNull();
  });
});

describe('apiBaseFromEnv', () => {
  it('defaults to https://api.x.com', () => {
    expect(apiBaseFromEnv({})).toBe('https://api.x.com');
    expect(apiBaseFromEnv({ CRIER_X_API_BASE: ' ' })).toBe('https://api.x.com');
  });

  it('accepts an https origin or path prefix and drops the trailing slash', () => {
    expect(apiBaseFromEnv({ CRIER_X_API_BASE: 'https://127.0.0.1:8443/' })).toBe('https://127.0.0.1:8443');
    expect(apiBaseFromEnv({ CRIER_X_API_BASE: 'https://proxy.test/x/' })).toBe('https://proxy.test/x');
  });

  it.each(['not a url', 'http://127.0.0.1:8080', 'ftp://x.test', 'https://u:p@x.test', 'https://x.test/?a=1'])(
    'rejects %s with a validation error naming the variable',
    (value) => {
      expect(() => apiBaseFromEnv({ CRIER_X_API_BASE: value })).toThrow(expect.objectContaining({ code: 'validation', field: 'CRIER_X_API_BASE' }));
    },
  );
});
