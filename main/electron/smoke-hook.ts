// Lets the smoke test of the real app (test/electron-smoke, `npm run test:electron`) reach the
// tray: Electron has no API that finds a Tray or reads its context menu back. Inert unless the
// environment carries CRIER_SMOKE_TEST=1 (the smoke test sets it; nothing else does): then the
// tray, and each context menu set on it, are put on globalThis for the test's main-process
// evaluate() to read and click.
import type { Menu, Tray } from 'electron';

export const SMOKE_TEST_ENV = 'CRIER_SMOKE_TEST';
/** The globalThis key the smoke test reads (test/electron-smoke/smoke.mjs). */
export const SMOKE_PROBE_KEY = '__crierSmokeProbe';

export interface SmokeProbe {
  tray: Tray;
  /** The context menu last set on the tray. */
  menu: Menu | null;
}

export function exposeTrayToSmokeTest(tray: Tray, env: Record<string, string | undefined> = process.env): Tray {
  if (env[SMOKE_TEST_ENV] !== '1') return tray;
  const probe: SmokeProbe = { tray, menu: null };
  const setContextMenu = tray.setContextMenu.bind(tray);
  tray.setContextMenu = (menu: Menu | null): void => {
    probe.menu = menu;
    setContextMenu(menu);
  };
  Object.assign(globalThis, { [SMOKE_PROBE_KEY]: probe });
  return tray;
}
