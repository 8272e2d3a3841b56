import type { Locale } from "@parley/protocol/values";
import type { Role } from "./roles.ts";

/** A tenant. */
export interface Workspace {
  id: string;
  name: string;
  slug: string;
  status: "active" | "suspended" | "cancelled";
  createdAt: Date;
}

/** A person with a login (never carries the password hash outside the repository). */
export interface User {
  id: string;
  name: string;
  email: string;
  /** Language of the user's UI and of the API's error messages to them. */
  locale: Locale;
  createdAt: Date;
}

/** A user's membership of a workspace. */
export interface Membership {
  workspace: Workspace;
  user: User;
  role: Role;
}

/** The caller behind a bearer token. */
export interface Principal {
  user: User;
  tokenId: string;
}
