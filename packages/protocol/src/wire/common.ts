/** Small schemas the wire shapes share. */
import { z } from "zod";

/** A time on the wire: ISO-8601 in UTC with milliseconds, as `Date#toISOString` writes it. */
export const isoTime = z.iso.datetime();
