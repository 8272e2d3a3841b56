/**
 * Lingering close, as nginx's `lingering_close` does it: an error answered before the request
 * body has fully arrived (a 413 for a body over the limit, a 401 for an upload without a valid
 * token) must reach a client that is still uploading. Closing the socket while its receive
 * buffer holds unread bytes makes the kernel send a TCP reset, and a reset makes the client's
 * kernel drop the answer it had not read yet: the client sees "fetch failed" (EPIPE/ECONNRESET)
 * instead of the JSON error. So the rest of the body is read and discarded, for a bounded time
 * and number of bytes, and the connection is kept (HTTP/1.1 allows it once the body is read);
 * past either bound the socket is destroyed, as nginx does after `lingering_time`.
 */
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

/** How long and how much of an answered request's body is drained. */
export interface LingeringCloseLimits {
  /** Longest drain after the answer went out, in ms. */
  maxMs: number;
  /** Most body bytes read and discarded after the answer, in bytes. */
  maxBytes: number;
}

/** Defaults: 30 s (nginx's `lingering_time`) and 64 MiB, well past any JSON body and a slow 5 MB upload. */
export const LINGERING_CLOSE_DEFAULTS: LingeringCloseLimits = { maxMs: 30_000, maxBytes: 64 * 1024 * 1024 };

/**
 * Makes every error reply sent while its request body is still arriving drain that body instead
 * of closing on it (see the module comment). Replies to complete requests are untouched.
 */
export function installLingeringClose(app: FastifyInstance, limits: LingeringCloseLimits = LINGERING_CLOSE_DEFAULTS): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.raw.complete || reply.statusCode < 400) return payload;
    // Fastify asks to close after a body it stopped reading; Node would then destroy the socket
    // as soon as the answer is written, with the client's bytes unread: the reset above.
    reply.removeHeader("connection");
    // Node registers its own finish listener (which resumes an unread body) before Fastify's
    // handlers run, so the body is flowing by the time this one runs.
    reply.raw.once("finish", () => drainBody(request.raw, limits));
    return payload;
  });
}

/** How often the drained byte count is checked, in ms. */
const checkEveryMs = 50;

/** Reads and discards the rest of `request`'s body; destroys its socket past `limits`. */
function drainBody(request: IncomingMessage, limits: LingeringCloseLimits): void {
  const socket = request.socket;
  if (request.complete || socket.destroyed) return;
  // Node's HTTP parser drops a dumped body without emitting it, so the bytes are counted on the
  // socket, whose reads it still counts.
  const startBytes = socket.bytesRead;
  const deadline = Date.now() + limits.maxMs;
  const check = setInterval(() => {
    if (Date.now() >= deadline || socket.bytesRead - startBytes > limits.maxBytes) {
      stop();
      socket.destroy();
    }
  }, checkEveryMs);
  check.unref();
  function stop() {
    clearInterval(check);
    request.off("end", stop);
    socket.off("close", stop);
  }
  request.once("end", stop);
  socket.once("close", stop);
  request.resume();
}
