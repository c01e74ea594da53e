// A cheap stand-in for Electronegativity (not installed): scan the built JavaScript — what
// actually ships — for settings that switch Electron's protections off. dist/ is built by
// test/global-setup.ts. esbuild may print false as !1 and true as !0, so both spellings count.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const read = (file: string): string => readFileSync(`${dist}${file}`, 'utf8');
const shellBundles = ['electron/main.js', 'preload.cjs'];

const TRUE = String.raw`\s*[:=]\s*(?:true|!0)\b`;
const FALSE = String.raw`\s*[:=]\s*(?:false|!1)\b`;
const FORBIDDEN: Array<[string, RegExp]> = [
  ['nodeIntegration: true', new RegExp(`nodeIntegration(?:InWorker|InSubFrames)?${TRUE}`)],
  ['contextIsolation: false', new RegExp(`contextIsolation${FALSE}`)],
  ['sandbox: false', new RegExp(`sandbox${FALSE}`)],
  ['webSecurity: false', new RegExp(`webSecurity${FALSE}`)],
  ['webviewTag: true', new RegExp(`webviewTag${TRUE}`)],
  ['experimentalFeatures: true', new RegExp(`experimentalFeatures${TRUE}`)],
  ['allowRunningInsecureContent (any value)', /allowRunningInsecureContent/],
  ['enableRemoteModule (any value)', /enableRemoteModule/],
  ["'unsafe-eval'", /unsafe-eval/],
];

describe('the built desktop bundles', () => {
  it('are both there and carry the secure settings, so the scan below reads real code', () => {
    const main = read('electron/main.js');
    expect(main).toMatch(new RegExp(`contextIsolation${TRUE}`));
    expect(main).toMatch(new RegExp(`sandbox${TRUE}`));
    expect(main).toMatch(new RegExp(`nodeIntegration${FALSE}`));
    expect(read('preload.cjs')).toContain('exposeInMainWorld');
  });

  for (const file of shellBundles) {
    it.each(FORBIDDEN)(`${file} never sets %s`, (_name, pattern) => {
      expect(read(file)).not.toMatch(pattern);
    });
  }

  it("no renderer page or script allows 'unsafe-eval'", () => {
    const files = readdirSync(`${dist}renderer`).filter((f) => /\.(html|js)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(read(`renderer/${f}`), f).not.toMatch(/unsafe-eval/);
  });
});
