// The one twitter-text module the tasks page bundles (row-length.ts), typed as the package's own.
declare module 'twitter-text/dist/esm/parseTweet' {
  import type { parseTweet } from 'twitter-text';
  const fn: typeof parseTweet;
  export default fn;
}
