// An AccountPort with no X account connected: the engine runs dry and posts nothing.
import type { AccountPort } from '../../main/core/account';

export function dryAccount(): AccountPort {
  return {
    client: () => null,
    state: () => ({ connected: false, handle: null, method: null, secretsProtected: true }),
    setHandle() {},
    connect: async () => {},
    disconnect: async () => {},
  };
}
