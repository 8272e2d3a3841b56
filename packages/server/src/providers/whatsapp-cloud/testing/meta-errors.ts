/**
 * Meta's error catalogue as the fakes need it: code → HTTP status, title and details, from
 * Meta's "WhatsApp error codes" page (the HTTP status column) and real Graph answers. Used by
 * the fake Graph API (synchronous error bodies) and the webhook builders (failed statuses).
 */
import { randomBytes } from "node:crypto";
import type { GraphErrorBody } from "../errors.ts";

/** One documented error. */
export interface MetaErrorInfo {
  httpStatus: number;
  title: string;
  details: string;
  subcode?: number;
}

/** The errors the fakes answer with by code; any other code gets a generic 400 entry. */
export const metaErrors: Record<number, MetaErrorInfo> = {
  100: { httpStatus: 400, title: "Invalid parameter", details: "The request included one or more unsupported or misspelled parameters." },
  190: { httpStatus: 401, title: "Access token has expired", details: "Error validating access token." },
  368: { httpStatus: 403, title: "Temporarily blocked for policies violations", details: "The account has been restricted for violating a platform policy." },
  130429: {
    httpStatus: 429,
    title: "Rate limit hit",
    details: "Cloud API message throughput has been reached.",
    subcode: 2494055,
  },
  131000: { httpStatus: 500, title: "Something went wrong", details: "Message failed to send due to an unknown error." },
  131026: { httpStatus: 400, title: "Message Undeliverable", details: "Unable to deliver message." },
  131047: {
    httpStatus: 400,
    title: "Re-engagement message",
    details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131049: {
    httpStatus: 400,
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
    details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
  },
  131050: {
    httpStatus: 400,
    title: "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
    details: "The recipient has stopped marketing messages from this business.",
  },
  131051: { httpStatus: 400, title: "Unsupported message type", details: "Message type is not currently supported." },
  131053: { httpStatus: 400, title: "Media upload error", details: "Unable to upload the media used in the message." },
  131056: {
    httpStatus: 400,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details: "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
    subcode: 2494071,
  },
  132000: {
    httpStatus: 400,
    title: "Number of parameters does not match the expected number of params",
    details: "The number of variable parameter values does not match the template.",
  },
  132001: {
    httpStatus: 404,
    title: "Template name does not exist in the translation",
    details: "The template does not exist in that language or is not approved.",
  },
};

/** A Graph trace id, as Meta puts in every error. */
export function fbtraceId(): string {
  return randomBytes(12).toString("base64url");
}

/**
 * The body Meta answers a refused call with, e.g. for 131047:
 * `{error: {message: "(#131047) Re-engagement message", type: "OAuthException", code: 131047,
 * error_data: {messaging_product: "whatsapp", details: "Message failed to send because…"}, fbtrace_id}}`.
 * Code 190 has Meta's OAuth shape instead (no `(#190)` prefix, no error_data).
 */
export function metaErrorBody(code: number, details?: string): { status: number; body: GraphErrorBody } {
  if (code === 190) {
    return {
      status: 401,
      body: { error: { message: "Invalid OAuth access token - Cannot parse access token", type: "OAuthException", code: 190, fbtrace_id: fbtraceId() } },
    };
  }
  const info = metaErrors[code] ?? { httpStatus: 400, title: "Error", details: "The request failed." };
  return {
    status: info.httpStatus,
    body: {
      error: {
        message: `(#${code}) ${info.title}`,
        type: "OAuthException",
        code,
        ...(info.subcode === undefined ? {} : { error_subcode: info.subcode }),
        error_data: { messaging_product: "whatsapp", details: details ?? info.details },
        fbtrace_id: fbtraceId(),
      },
    },
  };
}
