// "Export CSV" / "Export JSON": the engine writes the file's text (exportTasks), the page hands it
// to the browser as a download named for the day, through an object URL freed right after.
export type ExportFormat = 'csv' | 'json';

const MIME: Record<ExportFormat, string> = { csv: 'text/csv;charset=utf-8', json: 'application/json' };

/** crier-tasks-2026-03-01.csv: the local calendar day. */
export function exportFileName(format: ExportFormat, now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `crier-tasks-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${format}`;
}

/** Saves `text` as a file through an a[download] click. */
export function download(text: string, fileName: string, format: ExportFormat): void {
  const url = URL.createObjectURL(new Blob([text], { type: MIME[format] }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download by the next turn; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
