/** The part of electron-builder's AfterPackContext the hook reads. */
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's Arch: x64 1, arm64 3, universal 4 (see ARCH). */
  arch: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
export const STAND_IN_MARKER: string;
export const FUSES: Readonly<Record<string, unknown>>;
export const ARCH: { x64: number; arm64: number; universal: number };
export function fuseOptions(context: PackContext): Readonly<Record<string, unknown>> & { resetAdHocDarwinSignature: boolean };
export default function afterPack(context: PackContext): Promise<void>;
