import { afterEach, describe, expect, it } from 'vitest';
import { Menu, nativeImage, Tray } from 'electron';
import { exposeTrayToSmokeTest, SMOKE_PROBE_KEY, type SmokeProbe } from '../../main/electron/smoke-hook';

const probe = (): SmokeProbe | undefined => (globalThis as Record<string, unknown>)[SMOKE_PROBE_KEY] as SmokeProbe | undefined;

afterEach(() => {
  delete (globalThis as Record<string, unknown>)[SMOKE_PROBE_KEY];
});

describe('exposeTrayToSmokeTest', () => {
  it('leaves the tray untouched and exposes nothing without CRIER_SMOKE_TEST=1', () => {
    for (const env of [{}, { CRIER_SMOKE_TEST: '0' }, { CRIER_SMOKE_TEST: 'true' }]) {
      const tray = new Tray(nativeImage.createEmpty());
      const setContextMenu = tray.setContextMenu;
      expect(exposeTrayToSmokeTest(tray, env)).toBe(tray);
      expect(tray.setContextMenu).toBe(setContextMenu);
      expect(probe()).toBeUndefined();
    }
  });

  it('with CRIER_SMOKE_TEST=1 exposes the tray and each menu set on it, still setting the menu', () => {
    const tray = new Tray(nativeImage.createEmpty());
    const mock = tray as unknown as { contextMenu: unknown };
    exposeTrayToSmokeTest(tray, { CRIER_SMOKE_TEST: '1' });
    expect(probe()).toMatchObject({ tray, menu: null });
    const menu = Menu.buildFromTemplate([{ label: 'Open tasks' }]);
    tray.setContextMenu(menu);
    expect(probe()!.menu).toBe(menu);
    expect(mock.contextMenu).toBe(menu);
  });
});
