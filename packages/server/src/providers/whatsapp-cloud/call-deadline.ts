/**
 * The time limit of one Graph API call, from its start until its answer's body is read.
 *
 * Not `AbortSignal.timeout`: its timer cannot be cancelled, so it fires for every call, seconds
 * after the answer came, and builds a DOMException (with a stack trace) each time. With the 15 s
 * default and a campaign sending 60 a second, about 900 of them were pending at any moment, each
 * firing on the event loop that serves agents' live replies.
 */

/** A call's deadline: `signal` aborts with a `TimeoutError` DOMException at `timeoutMs`, unless `end()` came first. */
export interface CallDeadline {
  signal: AbortSignal;
  /** Cancels the deadline (the call is over); idempotent. */
  end(): void;
}

/**
 * Starts a deadline of `timeoutMs` (ms). Its timer does not keep the process alive.
 * The abort reason is a DOMException named `TimeoutError`, as `AbortSignal.timeout` gives, which
 * errors.ts (`providerErrorFromNetwork`) reports as "did not answer within".
 */
export function startCallDeadline(timeoutMs: number): CallDeadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The call took longer than ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  timer.unref();
  return { signal: controller.signal, end: () => clearTimeout(timer) };
}
