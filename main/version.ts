// Injected by esbuild from package.json; tests running from source fall back to 'dev'.
declare const __CRIER_VERSION__: string | undefined;
export const VERSION: string = typeof __CRIER_VERSION__ === 'string' ? __CRIER_VERSION__ : '0.0.0-dev';
export const USER_AGENT = `Crier/${VERSION} (+https://github.com/crier-app/crier)`;
