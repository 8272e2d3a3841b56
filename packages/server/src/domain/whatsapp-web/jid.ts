/**
 * WhatsApp JIDs (../shared/WHATSAPP.md): a person is `<digits>@s.whatsapp.net` (Baileys; the
 * digits are the E.164 number without "+", a device suffix `:<n>` may follow them) or
 * `<digits>@c.us` (whatsapp-web.js); a group is `<id>@g.us`; `status@broadcast` is the status
 * feed, never a chat. Parley stores person JIDs in Baileys' form.
 */

/** The status feed: its messages are never shown as a chat. */
export const statusBroadcastJid = "status@broadcast";

const personJid = /^(\d{5,20})(?::\d+)?@(s\.whatsapp\.net|c\.us)$/;
const groupJid = /^[\d-]{5,40}@g\.us$/;
const e164Pattern = /^\+\d{5,20}$/;

export function isGroupJid(jid: string): boolean {
  return groupJid.test(jid);
}

/** The person JID of an E.164 number (`+6281234567890` → `6281234567890@s.whatsapp.net`). Throws for anything else. */
export function personJidOf(e164: string): string {
  if (!e164Pattern.test(e164)) throw new RangeError(`Not an E.164 number: ${e164}`);
  return `${e164.slice(1)}@s.whatsapp.net`;
}

/**
 * The person JID of a stored phone number, or null when there is none or it is not E.164 (a
 * website visitor has no phone). For presenting contacts: unlike `personJidOf` it never throws.
 */
export function jidOfPhone(phone: string | null): string | null {
  return phone !== null && e164Pattern.test(phone) ? personJidOf(phone) : null;
}

/**
 * A person JID in Parley's form: `@c.us` becomes `@s.whatsapp.net` and a device suffix is
 * dropped (`6281234567890:12@s.whatsapp.net` is the same person). Null for groups, the status
 * feed and anything that is not a person's JID.
 */
export function normalizePersonJid(jid: string): string | null {
  const match = personJid.exec(jid);
  return match ? `${match[1]}@s.whatsapp.net` : null;
}

/** The E.164 number of a person JID, or null. */
export function phoneOfJid(jid: string): string | null {
  const match = personJid.exec(jid);
  return match ? `+${match[1]}` : null;
}
