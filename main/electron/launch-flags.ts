/** Passed when the OS starts Crier at login: it stays in the tray instead of opening a window. */
export const HIDDEN_FLAG = '--hidden';
