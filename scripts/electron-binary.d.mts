export type ElectronBinary = { found: true; path: string } | { found: false; path: string | null; reason: string };
export interface Where { root?: string; env?: Record<string, string | undefined> }
export interface Download { ok: boolean; message: string }
export function findElectronBinary(where?: Where): ElectronBinary;
export function downloadElectronBinary(options?: Where & { timeoutMs?: number }): Promise<Download>;
export function obtainElectronBinary(options?: Where & {
  download?: boolean;
  timeoutMs?: number;
  fetchBinary?: (options: Where & { timeoutMs?: number }) => Promise<Download>;
}): Promise<ElectronBinary>;
export function describeElectronBinary(binary: ElectronBinary): string;
