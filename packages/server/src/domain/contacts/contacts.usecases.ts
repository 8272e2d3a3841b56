import { notFound } from "../errors.ts";
import type { Store } from "../ports.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { Contact } from "./contact.ts";

export interface ContactDependencies {
  store: Store;
}

/** What an agent searches contacts with: `q` matches name, e-mail or phone; `beforeId` pages. */
export interface ContactSearch {
  q?: string;
  limit: number;
  beforeId?: string;
}

/** The workspace's contacts, newest first, optionally matching `q` against name, e-mail or phone. */
export async function searchContacts(deps: ContactDependencies, membership: Membership, options: ContactSearch): Promise<Contact[]> {
  return deps.store.contacts.search(membership.workspace.id, options);
}

/** Throws `contacts.not_found` (404), also for another workspace's contact. */
export async function getContact(deps: ContactDependencies, membership: Membership, id: string): Promise<Contact> {
  const contact = await deps.store.contacts.findById(membership.workspace.id, id);
  if (!contact) throw notFound("contacts");
  return contact;
}

/** Looking up a workspace's contacts, bound to their dependencies for the routes. */
export function contactUseCases(deps: ContactDependencies) {
  return {
    search: (membership: Membership, options: ContactSearch) => searchContacts(deps, membership, options),
    get: (membership: Membership, id: string) => getContact(deps, membership, id),
  };
}

export type ContactUseCases = ReturnType<typeof contactUseCases>;
