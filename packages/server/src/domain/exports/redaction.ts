import { type CountryCode, findPhoneNumbersInText, isSupportedCountry } from "libphonenumber-js";

/** What replaces a redacted phone number, e-mail address or the contact's own name. */
export const placeholders = { phone: "[PHONE]", email: "[EMAIL]", name: "[NAME]" } as const;

// Deliberately broad: a false positive costs a word of training text, a miss leaks an address.
const emailPattern = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// No phone number has fewer digits than this (national short numbers aside, which identify no one).
const minimumPhoneDigits = 7;

/** The country phone numbers without a `+` are read in: `country` when libphonenumber knows it, else Indonesia. */
export function redactionCountry(country: string | null | undefined): CountryCode {
  const upper = country?.toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : "ID";
}

function countDigits(text: string): number {
  let digits = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/**
 * `text` with e-mail addresses replaced by `[EMAIL]`, then the phone numbers libphonenumber-js's
 * `findPhoneNumbersInText` finds (national numbers read in `country`: `0812-3456-7890`,
 * `62812…`; international ones with `+` from anywhere) by `[PHONE]`. Text with too few digits
 * to hold a number skips the phone search, which is most chat messages.
 */
export function redactText(text: string, country: CountryCode): string {
  const withoutEmails = text.includes("@") ? text.replace(emailPattern, placeholders.email) : text;
  if (countDigits(withoutEmails) < minimumPhoneDigits) return withoutEmails;
  const found = findPhoneNumbersInText(withoutEmails, country);
  let redacted = withoutEmails;
  // From the end, so earlier offsets stay valid.
  for (let index = found.length - 1; index >= 0; index--) {
    const { startsAt, endsAt } = found[index]!;
    redacted = redacted.slice(0, startsAt) + placeholders.phone + redacted.slice(endsAt);
  }
  return redacted;
}

/**
 * A redactor for one conversation: `redactText` plus the contact's own name (whole words, any
 * case) replaced by `[NAME]`. Names of other people in the text are not recognised.
 */
export function conversationRedactor(country: CountryCode, contactName: string | null): (text: string) => string {
  const name = contactName?.trim();
  if (!name || name.length < 2) return (text) => redactText(text, country);
  const lowerName = name.toLowerCase();
  let namePattern: RegExp | undefined;
  return (text) => {
    const redacted = redactText(text, country);
    // The word-boundary pattern is slow (unicode look-behind); most messages never name the contact.
    if (!redacted.toLowerCase().includes(lowerName)) return redacted;
    namePattern ??= new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "giu");
    return redacted.replace(namePattern, placeholders.name);
  };
}
