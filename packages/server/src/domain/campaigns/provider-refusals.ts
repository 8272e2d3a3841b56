/**
 * What a provider's refusal means for one campaign recipient (issue 10, part 3). Codes and their
 * meaning are Meta's ("WhatsApp error codes", "Throughput"; providers/whatsapp-cloud/errors.ts
 * maps them to ProviderError):
 * - 130429 (throughput reached): the whole inbox waits (Retry-After, else 5 s), the recipient
 *   goes back in line.
 * - 131056 (pair rate limit, one message every 6 s to the same user): that recipient waits 6 s.
 * - 131049 (not delivered to keep the ecosystem healthy, a per-user marketing limit): failed and
 *   never retried automatically; "retry failed" may try again later by hand.
 * - 131050 (the user stopped marketing messages from the business): failed, and the contact is
 *   opted out (source `provider`), so no later campaign messages them.
 * - any other permanent refusal: failed with Meta's reason; a passing fault (network, 5xx): back
 *   in line after a pause, failed after three tries.
 */
import type { ProviderError } from "../providers/provider.ts";

/** Default wait of the whole inbox after 130429 without Retry-After, ms. */
export const INBOX_BACKOFF_MS = 5_000;
/** Wait of one recipient after 131056, ms: Meta's one message per 6 s per user pair. */
export const PAIR_BACKOFF_MS = 6_000;
/** Wait of one recipient after a passing fault, ms per try so far. */
export const TRANSIENT_BACKOFF_MS = 10_000;
/** Tries of one recipient through passing faults before it fails. */
export const MAX_TRANSIENT_TRIES = 3;

/** Codes whose failure must not be retried, even by "retry failed": the customer said no. */
export const permanentSuppressionCodes: readonly string[] = ["131050"];

/** What to do with a recipient whose send was refused. */
export type RefusalOutcome =
  | { kind: "inbox_backoff"; waitMs: number }
  | { kind: "recipient_backoff"; waitMs: number }
  | { kind: "failed"; reason: string; code: string | null; optOut: boolean };

/** The outcome of `error` for a recipient claimed `tries` times (this one included). */
export function refusalOutcome(error: ProviderError, tries: number): RefusalOutcome {
  const code = error.providerCode;
  if (code === "130429") return { kind: "inbox_backoff", waitMs: error.retryAfterMs ?? INBOX_BACKOFF_MS };
  if (code === "131056") return { kind: "recipient_backoff", waitMs: error.retryAfterMs ?? PAIR_BACKOFF_MS };
  if (error.retry === "never") return { kind: "failed", reason: error.reason, code, optOut: code === "131050" };
  if (tries >= MAX_TRANSIENT_TRIES) return { kind: "failed", reason: error.reason, code, optOut: false };
  return { kind: "recipient_backoff", waitMs: TRANSIENT_BACKOFF_MS * tries };
}
