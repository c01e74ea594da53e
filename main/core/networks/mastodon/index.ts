// The Mastodon destination's public face, for a lazy `await import()`: loading it loads masto.
// length.ts and instance-url.ts import nothing heavy: compose, the preview and the settings form
// can import them directly without loading masto.
export {
  createMastodonDestination, idempotencyKeyFor, isSameText,
  DEFAULT_MASTODON_TIMEOUT_MS, IDEMPOTENCY_WINDOW_MS, IMAGE_FAILED_NOTE, MASTODON_MAX_IMAGE_BYTES,
  type MastodonAccount, type MastodonDestination, type MastodonOptions,
} from './client';
export { connectMastodon, MastodonConnectError, MASTODON_SCOPES, type MastodonConnection } from './connect';
export { mapMastodonError, parseRateLimitReset } from './failure';
export { InstanceUrlError, parseInstanceUrl } from './instance-url';
export { DEFAULT_INSTANCE_RULES, mastodonLength, mastodonLengthRules, type InstanceRules } from './length';
