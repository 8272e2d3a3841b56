/** Users, workspaces and memberships as the API carries them. */
import { z } from "zod";
import { roles } from "./values.ts";

export const userSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });
export type ApiUser = z.infer<typeof userSchema>;

export const workspaceSchema = z.object({ id: z.string(), name: z.string(), slug: z.string() });
export type ApiWorkspace = z.infer<typeof workspaceSchema>;

/** A workspace the signed-in user belongs to, with their role in it (`/auth/login`, `/auth/me`). */
export const membershipSchema = workspaceSchema.extend({ role: z.enum(roles) });
export type ApiMembership = z.infer<typeof membershipSchema>;

/** A member of a workspace (`/workspaces/{id}/members`). */
export const memberSchema = z.object({ user_id: z.string(), name: z.string(), email: z.string(), role: z.enum(roles) });
export type ApiMember = z.infer<typeof memberSchema>;
