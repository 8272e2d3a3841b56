import type { Clock } from "../clock.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import { catalogued } from "../knowledge/knowledge.usecases.ts";
import type { ContactDraft, ContactFilter, ContactImportEntry, Store } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { loadWorkspaceSettings } from "../tenancy/workspace-settings.usecases.ts";
import type { Contact } from "./contact.ts";
import { type InvalidRow, readContactsCsv } from "./contact-import.ts";
import { optInContact, optOutContact } from "./opt-out.ts";
import { phoneMatchCandidates, toE164 } from "./phone.ts";

export interface ContactDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
}

/** What an agent lists contacts with (ContactFilter) and `beforeId`, the last id of the previous page. */
export interface ContactSearch extends ContactFilter {
  limit: number;
  beforeId?: string;
}

/** The workspace's contacts, newest first, filtered (ContactFilter). */
export async function searchContacts(deps: Pick<ContactDependencies, "store">, membership: Membership, options: ContactSearch): Promise<Contact[]> {
  return deps.store.contacts.search(membership.workspace.id, options);
}

/** Throws `contacts.not_found` (404), also for another workspace's contact. */
export async function getContact(deps: Pick<ContactDependencies, "store">, membership: Membership, id: string): Promise<Contact> {
  const contact = await deps.store.contacts.findById(membership.workspace.id, id);
  if (!contact) throw notFound("contacts");
  return contact;
}

/** The fields an agent writes; `phone` in any format, read against the workspace's country. */
export interface ContactInput {
  phone?: string;
  name?: string | null;
  email?: string | null;
  labels?: string[];
  customAttributes?: Record<string, string>;
  /** true opts the contact out of campaigns (source `agent`), false back in. */
  optedOut?: boolean;
}

/**
 * Creates a phone contact. Needs `contacts.manage` (agents and up). Throws
 * `contacts.invalid_phone` (422), `labels.unknown` (400) and `contacts.phone_taken` (409).
 */
export async function createContact(deps: ContactDependencies, membership: Membership, input: ContactInput & { phone: string }): Promise<Contact> {
  requirePermission(membership, "contacts.manage");
  const workspaceId = membership.workspace.id;
  const draft = await contactDraft(deps, workspaceId, input);
  const now = deps.clock.now();
  return deps.store.transaction(async (repositories) => {
    const created = await repositories.contacts.insert({
      id: newId(now),
      workspaceId,
      phone: draft.phone!,
      name: draft.name ?? null,
      email: draft.email ?? null,
      labels: draft.labels ?? [],
      customAttributes: draft.customAttributes ?? {},
    });
    if (!input.optedOut) return created;
    return (await optOutContact(repositories, workspaceId, created.id, "agent", now))?.contact ?? created;
  });
}

/**
 * Changes a contact's fields, and opts them out (source `agent`) or in, in one transaction, then
 * broadcasts `contact.updated`. Needs `contacts.manage`. Throws `contacts.not_found` (also for
 * another workspace's contact), `contacts.invalid_phone`, `labels.unknown`, `contacts.phone_taken`;
 * nothing is changed then.
 */
export async function updateContact(deps: ContactDependencies, membership: Membership, id: string, input: ContactInput): Promise<Contact> {
  requirePermission(membership, "contacts.manage");
  const workspaceId = membership.workspace.id;
  const draft = await contactDraft(deps, workspaceId, input);
  const now = deps.clock.now();
  const contact = await deps.store.transaction(async (repositories) => {
    let contact =
      Object.keys(draft).length > 0 ? await repositories.contacts.update(workspaceId, id, draft) : await repositories.contacts.findById(workspaceId, id);
    if (!contact) throw notFound("contacts");
    if (input.optedOut !== undefined) {
      const outcome = input.optedOut ? await optOutContact(repositories, workspaceId, id, "agent", now) : await optInContact(repositories, workspaceId, id);
      contact = outcome?.contact ?? contact;
    }
    return contact;
  });
  await deps.events.publish([{ type: "contact.updated", workspaceId, contact }]);
  return contact;
}

/** The stored form of an agent's input: phone normalised, labels checked against the catalogue. */
async function contactDraft(deps: ContactDependencies, workspaceId: string, input: ContactInput): Promise<Partial<ContactDraft>> {
  const draft: Partial<ContactDraft> = {};
  if (input.phone !== undefined) {
    const { country } = await loadWorkspaceSettings(deps.store, workspaceId);
    const phone = toE164(input.phone, country);
    if (!phone)
      throw new DomainError("contacts.invalid_phone", `"${input.phone.slice(0, 40)}" is not a valid phone number (default country ${country}).`, {
        field: "phone",
      });
    draft.phone = phone;
  }
  if (input.name !== undefined) draft.name = input.name?.trim() || null;
  if (input.email !== undefined) draft.email = input.email?.trim().toLowerCase() || null;
  if (input.labels !== undefined) draft.labels = await catalogued(deps, workspaceId, input.labels);
  if (input.customAttributes !== undefined) draft.customAttributes = input.customAttributes;
  return draft;
}

/** The import report (protocol `contactImportReportSchema`). */
export interface ContactImportReport {
  created: number;
  updated: number;
  invalid: InvalidRow[];
  duplicates: number;
}

/**
 * Imports a CSV of contacts (contact-import.ts reads it) in one transaction: labels the file names
 * that are missing from the catalogue are created, new phones become contacts, existing contacts
 * (also under the other form of a Brazilian mobile number) are updated — name and e-mail only when
 * given, labels merged. `label` is added to every row, so the contacts of one import are an
 * audience. Needs `contacts.manage`. Throws `contacts.invalid_import` (422) for a file that does
 * not parse, has no phone column or too many rows; nothing is imported then.
 */
export async function importContacts(deps: ContactDependencies, membership: Membership, csv: string, label?: string): Promise<ContactImportReport> {
  requirePermission(membership, "contacts.manage");
  const workspaceId = membership.workspace.id;
  const { country } = await loadWorkspaceSettings(deps.store, workspaceId);
  const read = readContactsCsv(csv, country, label);
  const now = deps.clock.now();
  let duplicates = read.duplicates;
  const stored = await deps.store.transaction(async (repositories) => {
    await repositories.knowledge.ensureLabels(workspaceId, read.labels);
    // A Brazilian mobile stored without (or with) its ninth digit is the same person: update it.
    const otherForms = read.entries.flatMap(({ phone }) => phoneMatchCandidates(phone).slice(1));
    const storedForm = new Map<string, string>();
    for (const contact of await repositories.contacts.findByPhones(workspaceId, otherForms)) {
      for (const form of phoneMatchCandidates(contact.phone!)) if (!storedForm.has(form)) storedForm.set(form, contact.phone!);
    }
    const phones = new Set<string>();
    const entries: ContactImportEntry[] = [];
    for (const { optedOut, ...entry } of read.entries) {
      const phone = phones.has(entry.phone) ? entry.phone : (storedForm.get(entry.phone) ?? entry.phone);
      if (phones.has(phone)) {
        duplicates++;
        continue;
      }
      phones.add(phone);
      entries.push({ ...entry, phone, id: newId(now), optedOutAt: optedOut ? now : null });
    }
    return repositories.contacts.importMany(workspaceId, entries);
  });
  return { ...stored, invalid: read.invalid, duplicates };
}

/** Contacts per read of an export: one page in memory at a time. */
const exportPageSize = 1000;

/**
 * The contacts an export holds (the list's filter), a page at a time, newest first, with the
 * custom attribute names they use (the CSV's extra columns). Needs `contacts.export` (owners and
 * admins): every member reads the list a page at a time, but only they take every number away.
 * Throws `auth.forbidden` (403).
 */
export async function exportContacts(
  deps: Pick<ContactDependencies, "store">,
  membership: Membership,
  filter: ContactFilter,
): Promise<{ attributeNames: string[]; pages: AsyncGenerator<Contact[]> }> {
  requirePermission(membership, "contacts.export");
  const workspaceId = membership.workspace.id;
  const attributeNames = await deps.store.contacts.customAttributeNames(workspaceId, filter);
  async function* pages(): AsyncGenerator<Contact[]> {
    let beforeId: string | undefined;
    for (;;) {
      const page = await deps.store.contacts.search(workspaceId, { ...filter, limit: exportPageSize, ...(beforeId ? { beforeId } : {}) });
      if (page.length > 0) yield page;
      if (page.length < exportPageSize) return;
      beforeId = page[page.length - 1]!.id;
    }
  }
  return { attributeNames, pages: pages() };
}

/** The contact use cases, bound to their dependencies for the routes. */
export function contactUseCases(deps: ContactDependencies) {
  return {
    search: (membership: Membership, options: ContactSearch) => searchContacts(deps, membership, options),
    get: (membership: Membership, id: string) => getContact(deps, membership, id),
    create: (membership: Membership, input: ContactInput & { phone: string }) => createContact(deps, membership, input),
    update: (membership: Membership, id: string, input: ContactInput) => updateContact(deps, membership, id, input),
    import: (membership: Membership, csv: string, label?: string) => importContacts(deps, membership, csv, label),
    export: (membership: Membership, filter: ContactFilter) => exportContacts(deps, membership, filter),
  };
}

export type ContactUseCases = ReturnType<typeof contactUseCases>;
