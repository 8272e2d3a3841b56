import { notFound } from "../errors.ts";
import type { Store } from "../ports.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { Contact } from "./contact.ts";

/** Looking up a workspace's contacts. */
export function contactUseCases({ store }: { store: Store }) {
  return {
    /** Newest first, optionally matching `q` against name, e-mail or phone. */
    async search(membership: Membership, options: { q?: string; limit: number; beforeId?: string }): Promise<Contact[]> {
      return store.contacts.search(membership.workspace.id, options);
    },
    /** Throws `contacts.not_found` (404), also for another workspace's contact. */
    async get(membership: Membership, id: string): Promise<Contact> {
      const contact = await store.contacts.findById(membership.workspace.id, id);
      if (!contact) throw notFound("contacts");
      return contact;
    },
  };
}
export type ContactUseCases = ReturnType<typeof contactUseCases>;
