/** Users, workspaces and memberships as the API carries them. */
import { z } from "zod";
import { locales, roles } from "./values.ts";

/** A user; `locale` is the language of their UI and of the API's error messages to them. */
export const userSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), locale: z.enum(locales) });
export type ApiUser = z.infer<typeof userSchema>;

export const workspaceSchema = z.object({ id: z.string(), name: z.string(), slug: z.string() });
export type ApiWorkspace = z.infer<typeof workspaceSchema>;

/** A workspace the signed-in user belongs to, with their role in it (`/auth/login`, `/auth/me`). */
export const membershipSchema = workspaceSchema.extend({ role: z.enum(roles) });
export type ApiMembership = z.infer<typeof membershipSchema>;

/** A member of a workspace (`/workspaces/{id}/members`). */
export const memberSchema = z.object({ user_id: z.string(), name: z.string(), email: z.string(), role: z.enum(roles) });
export type ApiMember = z.infer<typeof memberSchema>;

/** `PATCH /api/v1/auth/me`: what a user may change about themselves. */
export const updateProfileRequestSchema = z.object({ locale: z.enum(locales) });
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;
