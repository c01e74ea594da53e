// The stand-in for 'electron' in tests (aliased in vitest.config.ts). It grows only as far as
// the wrappers in main/electron need.
export {};
