// Feeds in and out as OPML, the log, and clearing the history. Export builds a Blob and clicks
// an <a download>, which works the same in Electron and in a browser. The desktop app keeps its
// log in a folder it can open; headless Crier writes it to standard error.
import type { CrierApi } from '../api';
import { button, h } from '../lib/dom';
import { errorMessage, type Toaster } from '../lib/toast';
import { confirmAction } from './confirm-dialog';

export function importSummary(added: number, skipped: number): string {
  const s = `Added ${added} ${added === 1 ? 'feed' : 'feeds'}, skipped ${skipped}`;
  return skipped > 0 ? `${s} (already followed or not valid).` : `${s}.`;
}

export interface DataPanel { update(finishedTasks: number): void }

export function createDataPanel(opmlRoot: HTMLElement, dangerRoot: HTMLElement, api: CrierApi, toast: Toaster): DataPanel {
  // Reached through the Import button, so it is no tab stop of its own; named for the picker's sake.
  const fileInput = h('input', { class: 'visually-hidden', attrs: { type: 'file', id: 'opml-file', 'aria-label': 'OPML file to import', tabindex: -1, accept: '.opml,.xml,text/x-opml,application/xml,text/xml' } });
  const importResult = h('p', { class: 'form-status', attrs: { role: 'status', 'aria-live': 'polite', id: 'opml-result' } });
  const importBtn = button('Import OPML…', () => fileInput.click(), { class: 'btn', attrs: { id: 'opml-import' } });
  const exportBtn = button('Export OPML', () => void exportOpml(), { class: 'btn', attrs: { id: 'opml-export' } });

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void importFile(file);
  });

  async function importFile(file: File): Promise<void> {
    importBtn.disabled = true;
    importResult.className = 'form-status';
    importResult.textContent = `Importing ${file.name}…`;
    try {
      const r = await api.importOpml(await file.text());
      importResult.textContent = importSummary(r.added, r.skipped);
    } catch (err) {
      importResult.classList.add('form-status-error');
      importResult.textContent = `Could not import ${file.name}: ${errorMessage(err)}`;
    } finally {
      importBtn.disabled = false;
      fileInput.value = '';
    }
  }

  async function exportOpml(): Promise<void> {
    try {
      const xml = await api.exportOpml();
      const url = URL.createObjectURL(new Blob([xml], { type: 'text/x-opml' }));
      const a = h('a', { attrs: { href: url, download: `crier-feeds-${new Date().toISOString().slice(0, 10)}.opml`, hidden: true } });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      toast.show(`Could not export: ${errorMessage(err)}`, 'error');
    }
  }

  const logsResult = h('p', { class: 'form-status', attrs: { role: 'status', 'aria-live': 'polite', id: 'logs-result' } });
  const logsBtn = button('Open logs folder', () => void openLogsFolder(), { class: 'btn', attrs: { id: 'open-logs' } });
  async function openLogsFolder(): Promise<void> {
    logsResult.className = 'form-status';
    logsResult.textContent = '';
    try {
      await api.openLogsFolder();
    } catch (err) {
      logsResult.classList.add('form-status-error');
      logsResult.textContent = `Could not open the logs folder: ${errorMessage(err)}`;
    }
  }
  const logsCard = api.host === 'desktop'
    ? h('div', { class: 'card' },
      h('h3', { class: 'card-title', text: 'Log' }),
      h('p', { class: 'group-description', text: 'What Crier did and what went wrong, for a look yourself or for a bug report. The tray menu has it too, under Help.' }),
      h('div', { class: 'row-actions' }, logsBtn),
      logsResult)
    : h('div', { class: 'card' },
      h('h3', { class: 'card-title', text: 'Log' }),
      h('p', { class: 'group-description', text: 'Headless Crier writes its log to standard error: the terminal that runs crier serve, or the service manager\'s journal (e.g. journalctl -u crier).' }));

  opmlRoot.replaceChildren(h('div', { class: 'card' },
    h('h3', { class: 'card-title', text: 'OPML' }),
    h('p', { class: 'group-description', text: 'Move your feeds between Crier and other readers. Importing skips feeds Crier already follows; imported feeds start without posting what is already in them.' }),
    h('div', { class: 'row-actions' }, importBtn, exportBtn, fileInput),
    importResult), logsCard);

  const clearResult = h('p', { class: 'form-status', attrs: { role: 'status', 'aria-live': 'polite', id: 'clear-result' } });
  const clearBtn = button('Clear history…', () => void clearHistory(), { class: 'btn btn-danger', attrs: { id: 'clear-history' } });
  const countEl = h('span', {});
  async function clearHistory(): Promise<void> {
    const ok = await confirmAction({ title: 'Clear the task history?',
      text: 'Completed and cancelled tasks are removed from the list. Pending and failed tasks stay, and Crier still remembers which items it has seen, so nothing is posted twice.',
      confirmLabel: 'Clear history', danger: true });
    if (!ok) return;
    try {
      const n = await api.clearHistory();
      clearResult.textContent = `Removed ${n} ${n === 1 ? 'task' : 'tasks'} from the history.`;
    } catch (err) {
      toast.show(`Could not clear the history: ${errorMessage(err)}`, 'error');
    }
  }
  dangerRoot.replaceChildren(h('div', { class: 'card danger-card' },
    h('div', { class: 'danger-row' },
      h('div', {}, h('h3', { class: 'card-title', text: 'Clear history' }), h('p', { class: 'group-description' }, countEl)),
      clearBtn),
    clearResult));

  return {
    update(finished) {
      countEl.textContent = finished === 0 ? 'No completed or cancelled tasks to clear.' : `${finished.toLocaleString()} completed or cancelled ${finished === 1 ? 'task' : 'tasks'} in the history.`;
    },
  };
}
