// A deadline for a request to X that a sleep cannot fake. After the machine sleeps, or the
// process is stopped and continued, the deadline's timer and the answer that arrived meanwhile
// are due at once — and Node runs timers before it reads sockets. Aborting there would throw
// away a post X made, leaving it in doubt and sending it again. So the abort waits for two
// turns of the I/O poll: an answer already in the socket is read first and wins.

export function sleepAwareDeadline(ms: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    setImmediate(() => setImmediate(() => {
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }));
  }, ms);
  timer.unref();
  return controller.signal;
}
