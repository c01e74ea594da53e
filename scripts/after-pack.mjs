// electron-builder afterPack hook: flips Electron's fuses in the packed binary (afterPack runs
// before electron-builder signs, and a fuse flip after signing would break the signature).
// We flip them here rather than through the `electronFuses` option so that the offline pack
// (scripts/pack.mjs), whose "Electron" is a stand-in shell script, can be recognised and skipped
// on purpose; a real binary whose fuses cannot be flipped still fails the build.
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import fuses from '@electron/fuses';

const { FuseV1Options, FuseVersion, flipFuses } = fuses;

/** electron-builder's Arch (builder-util): the context's `arch` is one of these numbers. */
export const ARCH = { x64: 1, arm64: 3, universal: 4 };

/** Written by scripts/pack.mjs into its stand-in executable; a real Electron never carries it. */
export const STAND_IN_MARKER = 'crier-electron-stand-in';

export const FUSES = {
  version: FuseVersion.V1,
  // Without these, ELECTRON_RUN_AS_NODE / NODE_OPTIONS / --inspect turn the signed app into a
  // general-purpose Node that runs anyone's code with the app's identity and keychain access.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // The app must come from resources/app.asar, checked against the hash electron-builder embeds
  // (macOS and Windows; Linux Electron ignores the integrity fuse).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The pages load from app://crier/, never file://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

/**
 * Flipping a fuse rewrites the Electron Framework, which breaks the ad-hoc signature an arm64
 * macOS binary must carry (Apple Silicon runs no unsigned code): an unsigned arm64 build (no
 * Developer ID; electron-builder then skips signing) would refuse to launch. So for darwin arm64
 * and universal packs, @electron/fuses re-signs ad hoc (`codesign --sign - --force --deep`)
 * after flipping; a build that is signed later gets its real signature over it.
 */
export function fuseOptions(context) {
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin'
    && (context.arch === ARCH.arm64 || context.arch === ARCH.universal);
  return { ...FUSES, resetAdHocDarwinSignature };
}

function isStandIn(file) {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(256);
    const read = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read).toString('latin1').includes(STAND_IN_MARKER);
  } finally {
    closeSync(fd);
  }
}

/** @param {import('app-builder-lib').AfterPackContext} context */
export default async function afterPack(context) {
  const binary = executablePath(context);
  if (isStandIn(binary)) {
    console.log(`  • fuses skipped: ${path.relative(process.cwd(), binary)} is the offline stand-in for Electron, not a real binary`);
    return;
  }
  // On macOS @electron/fuses follows Contents/MacOS/<name> to the Electron Framework it patches.
  const options = fuseOptions(context);
  await flipFuses(binary, options);
  console.log(`  • fuses flipped: ${path.relative(process.cwd(), binary)}${options.resetAdHocDarwinSignature ? ' (ad-hoc signature reset)' : ''}`);
}
