/**
 * Groups on the simulated network: their subject and participants (with admin rights), and the
 * snapshot of members a device hears with each group change.
 */
import { randomInt } from "node:crypto";
import type { EngineGroupParticipant } from "../../../domain/whatsapp-web/engine.ts";

export interface Group {
  jid: string;
  subject: string;
  participants: Map<string, { isAdmin: boolean }>;
}

/** A new group's JID, shaped like WhatsApp's (`1203630…@g.us`). */
export const newGroupJid = () => `1203630${randomInt(10 ** 9, 10 ** 10)}${randomInt(10 ** 4)}@g.us`;

/** The participants of a group as the engine port lists them. */
export function participantsOf(group: Group): EngineGroupParticipant[] {
  return [...group.participants].map(([jid, { isAdmin }]) => ({ jid, isAdmin }));
}

/** Applies a join, leave, promotion or demotion of `person` to the group. */
export function applyGroupChange(group: Group, change: "joined" | "left" | "promoted" | "demoted", person: string): void {
  if (change === "joined") group.participants.set(person, { isAdmin: false });
  if (change === "left") group.participants.delete(person);
  if (change === "promoted" || change === "demoted") group.participants.set(person, { isAdmin: change === "promoted" });
}
