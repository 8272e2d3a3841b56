import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/** A phone number in E.164 (`+5511987654321`), or null when it is not a valid number. */
export function toE164(raw: string, defaultCountry?: CountryCode): string | null {
  const trimmed = raw.trim();
  const withPlus = /^\d+$/.test(trimmed) ? `+${trimmed}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus, defaultCountry);
  return parsed?.isValid() ? parsed.number : null;
}

/** Every stored form that is the same WhatsApp user (Brazilian mobiles with and without the 9). */
export function phoneMatchCandidates(e164: string): string[] {
  const brazil = /^\+55(\d{2})(9?)(\d{8})$/.exec(e164);
  if (!brazil) return [e164];
  const [, area, , rest] = brazil;
  return [e164, `+55${area}9${rest}`, `+55${area}${rest}`].filter((value, index, all) => all.indexOf(value) === index);
}
