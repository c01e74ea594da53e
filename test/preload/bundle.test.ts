// A sandboxed preload can require only 'electron': anything else in the bundle fails at run time,
// in a window we cannot open here. dist/ is built by test/global-setup.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = readFileSync(fileURLToPath(new URL('../../dist/preload.cjs', import.meta.url)), 'utf8');

describe('dist/preload.cjs', () => {
  it('requires electron and nothing else', () => {
    const required = [...bundle.matchAll(/\brequire\s*\(\s*([^)]*?)\s*\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['"electron"']));
  });

  it('is CommonJS with no ESM import statements left in it', () => {
    expect(bundle).not.toMatch(/^\s*import\s.+from\s/m);
    expect(bundle).not.toMatch(/\bimport\s*\(/);
  });

  it('exposes the bridge under the name the renderer looks for', () => {
    expect(bundle).toContain('exposeInMainWorld("crier"');
  });
});
