// The right-click menu in our pages. Chromium in Electron shows none by itself, so without this
// a text field could not be pasted into with the mouse (the X keys are long and pasted).
// Cut / Copy / Paste / Select All in text fields, Copy on selected text; the roles make the OS
// do the work, and their state comes from what the page says it can do (editFlags).
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';

export type ContextMenuInput = Pick<ContextMenuParams, 'isEditable' | 'selectionText'> & {
  editFlags: Pick<ContextMenuParams['editFlags'], 'canCut' | 'canCopy' | 'canPaste' | 'canSelectAll'>;
};

/** The menu for a right click, or null where there is nothing to offer (plain page, no selection). */
export function contextMenuTemplate(params: ContextMenuInput): MenuItemConstructorOptions[] | null {
  const { editFlags } = params;
  if (params.isEditable) {
    return [
      { role: 'cut', label: 'Cut', enabled: editFlags.canCut },
      { role: 'copy', label: 'Copy', enabled: editFlags.canCopy },
      { role: 'paste', label: 'Paste', enabled: editFlags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', label: 'Select All', enabled: editFlags.canSelectAll },
    ];
  }
  if (params.selectionText.trim() !== '') return [{ role: 'copy', label: 'Copy', enabled: editFlags.canCopy }];
  return null;
}

export interface ContextMenuDeps {
  buildFromTemplate(template: MenuItemConstructorOptions[]): { popup(options?: { window?: unknown; x?: number; y?: number }): void };
}

/** Shows the menu on every right click in this window's page. */
export function attachContextMenu(
  win: { webContents: { on(event: 'context-menu', listener: (event: unknown, params: ContextMenuInput & { x: number; y: number }) => void): unknown } },
  deps: ContextMenuDeps,
): void {
  win.webContents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params);
    if (template) deps.buildFromTemplate(template).popup({ window: win, x: params.x, y: params.y });
  });
}
