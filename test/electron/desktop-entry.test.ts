// Linux groups a window under the launcher entry whose file name Electron is told (package.json
// desktopName, also the Wayland app_id); electron-builder installs that entry as
// <executableName>.desktop, so the two must agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTOSTART_FILE_NAME } from '../../main/electron/autostart';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  desktopName?: string; build?: { linux?: { executableName?: string } };
};

describe('the Linux desktop entry', () => {
  it('is named the same by package.json desktopName and by electron-builder', () => {
    expect(pkg.desktopName).toBe(`${pkg.build?.linux?.executableName}.desktop`);
  });

  it('shares its name with the autostart entry', () => {
    expect(pkg.desktopName).toBe(AUTOSTART_FILE_NAME);
  });
});
