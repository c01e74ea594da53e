// Runs before tasks.js (its own small module, listed first in tasks.html): opens the event stream
// so the first snapshot travels while the page's main script loads. See lib/early-stream.ts.
import { openEarlyStream } from './lib/early-stream';

openEarlyStream();
