import type { Role } from "@parley/protocol/values";

/** A member's role in a workspace, from most to least powerful. */
export { roles, type Role } from "@parley/protocol/values";

/** What a member may do. Reading is open to every role. */
export type Permission =
  | "messages.send"
  | "conversations.update"
  | "inboxes.manage"
  | "members.manage"
  | "conversations.export"
  | "knowledge.manage"
  | "ai.manage"
  /** Create, edit, start, pause, resume, cancel and retry campaigns (issue 10). */
  | "campaigns.manage"
  | "workspace.manage"
  | "contacts.manage"
  /** Download customers' phone numbers in bulk: the contacts CSV and a campaign's recipients CSV. */
  | "contacts.export";

/** Owners and admins may do everything; they differ only in who may change whose role (members.usecases.ts). */
const everything: ReadonlySet<Permission> = new Set([
  "messages.send",
  "conversations.update",
  "inboxes.manage",
  "members.manage",
  "conversations.export",
  "knowledge.manage",
  "ai.manage",
  "campaigns.manage",
  "workspace.manage",
  "contacts.manage",
  "contacts.export",
]);

const grants: Record<Role, ReadonlySet<Permission>> = {
  owner: everything,
  admin: everything,
  // Agents write canned responses, labels and articles; only admins point the workspace at an LLM or export.
  // Agents also edit and import contacts (and opt them out on a customer's request), but do not
  // download them in bulk: a list of every customer's number is an admin's to take away.
  agent: new Set(["messages.send", "conversations.update", "knowledge.manage", "contacts.manage"]),
  viewer: new Set(),
};

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return grants[role].has(permission);
}
