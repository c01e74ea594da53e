/** The part of electron-builder's AfterPackContext the hook reads. */
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
export const STAND_IN_MARKER: string;
export const FUSES: Readonly<Record<string, unknown>>;
export default function afterPack(context: PackContext): Promise<void>;
