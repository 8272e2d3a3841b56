import { http } from "../../../lib/http.ts";
import type { User, WorkspaceMembership } from "../../../lib/types.ts";
import type { Locale } from "@parley/protocol/values";

export interface SignupInput {
  name: string;
  email: string;
  password: string;
  workspace_name: string;
  /** The language the form was filled in; the new user keeps it. */
  locale?: Locale;
}

export const authApi = {
  /** Creates the account and its first workspace (the caller becomes its owner). */
  signup: (input: SignupInput) => http<{ token: string; user: User; workspace: Omit<WorkspaceMembership, "role"> }>("POST", "/api/v1/auth/signup", input),
  login: (email: string, password: string) =>
    http<{ token: string; user: User; workspaces: WorkspaceMembership[] }>("POST", "/api/v1/auth/login", { email, password }),
  me: () => http<{ user: User; workspaces: WorkspaceMembership[] }>("GET", "/api/v1/auth/me"),
  logout: () => http<void>("POST", "/api/v1/auth/logout"),
  /** Changes the signed-in user's own language. */
  updateProfile: (changes: { locale: Locale }) => http<{ user: User }>("PATCH", "/api/v1/auth/me", changes),
};
