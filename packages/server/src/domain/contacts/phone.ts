/**
 * Phone numbers as WhatsApp contacts are keyed: E.164 (`+5511987654321`), validated with
 * libphonenumber-js's full metadata (the `max` set: exact patterns, not just lengths).
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export type { CountryCode };

/** Characters people write phone numbers with; anything else (letters, "ext.") is refused. */
const phoneCharacters = /^[\d\s+\-().]+$/;

/**
 * A Brazilian mobile number with or without the ninth digit: +55, a two-digit area code (DDD,
 * no zero digit), an optional 9, then 8 digits starting with 6–9. Anatel added the leading 9
 * to every mobile number (2012–2016); the old 8-digit mobile numbers began with 6–9, while
 * fixed lines begin with 2–5, so an 8-digit number starting with 2–5 is a landline, not a
 * mobile without its 9. WhatsApp accounts made before the change can still have a `wa_id`
 * without the 9 (WHATSAPP.md, "Brazilian mobile numbers").
 */
const brazilianMobile = /^\+55([1-9]{2})(9?)([6-9]\d{7})$/;

/**
 * The E.164 form of `raw`, or null when it is not a valid phone number.
 *
 * Accepts international input (`+55 11 98765-4321`, `+62 812-3456-7890`), a WhatsApp Cloud
 * API `wa_id` (country code and number, digits only: `5511987654321`), the same after the
 * international call prefix 00 (`0062 812…`), and, when
 * `defaultCountry` is given, national input (`(11) 98765-4321` with "BR"). Digits without a
 * `+` are read as national first when `defaultCountry` is given, then as international.
 *
 * A Brazilian mobile `wa_id` that lacks the ninth digit (`551187654321`) is valid and kept as
 * given (`+551187654321`), since that is the id WhatsApp knows the user by; use
 * `phoneMatchCandidates` to find the contact stored under the other form.
 */
export function toE164(raw: string, defaultCountry?: CountryCode): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 64 || !phoneCharacters.test(text)) return null;
  if (text.startsWith("+")) return validE164(text);
  if (defaultCountry) {
    const national = parsePhoneNumberFromString(text, defaultCountry);
    if (national?.isValid()) return national.number;
  }
  const digits = text.replace(/\D/g, "");
  // "00" is the international call prefix in most of the world (ITU-T E.164 recommends it): 0062… is +62….
  if (digits.startsWith("00")) return validE164(`+${digits.slice(2)}`);
  return validE164(`+${digits}`);
}

function validE164(international: string): string | null {
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed) return null;
  if (parsed.isValid()) return parsed.number;
  // A Brazilian mobile wa_id without the 9 fails today's numbering plan but names a real user.
  const withoutNine = brazilianMobile.exec(parsed.number);
  if (withoutNine && withoutNine[2] === "") {
    const withNine = parsePhoneNumberFromString(`+55${withoutNine[1]}9${withoutNine[3]}`);
    if (withNine?.isValid() && withNine.getType() === "MOBILE") return parsed.number;
  }
  return null;
}

/**
 * The stored phone numbers that belong to the same WhatsApp user as `e164` (a `toE164` result),
 * `e164` itself first. For a Brazilian mobile number both forms are returned, with and without
 * the 9 after the area code (`+5511987654321` and `+551187654321`, in either order of input);
 * for any other number (Brazilian landlines included) only `e164`.
 */
export function phoneMatchCandidates(e164: string): string[] {
  const match = brazilianMobile.exec(e164);
  if (!match) return [e164];
  const [, areaCode, nine, subscriber] = match;
  const other = nine === "9" ? `+55${areaCode}${subscriber}` : `+55${areaCode}9${subscriber}`;
  return [e164, other];
}
