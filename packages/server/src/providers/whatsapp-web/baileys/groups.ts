/**
 * Baileys' group events mapped to the engine port's `group` event, which carries the group as it
 * is after the change. `groups.upsert` gives the whole group (`created`); `groups.update` a
 * changed subject; `group-participants.update` only who was added, removed, promoted or demoted
 * (`add`/`remove`/`promote`/`demote`), so the engine keeps the members it knows in the chat
 * store and asks `groupMetadata` for a group it has not seen yet.
 */
import type { GroupMetadata, GroupParticipant } from "baileys";
import type { EngineEvent, EngineGroupParticipant } from "../../../domain/whatsapp-web/engine.ts";
import type { ChatStore } from "./chat-store.ts";
import { personOf } from "./inbound-message.ts";
import type { BaileysSocket } from "./socket.ts";

type GroupEvent = Extract<EngineEvent, { type: "group" }>;

const changeOfAction = { add: "joined", remove: "left", promote: "promoted", demote: "demoted" } as const;

/** Baileys' participant (an admin has `admin` set, older builds `isAdmin`) in Parley's form. */
export function participantOf(participant: GroupParticipant): EngineGroupParticipant {
  return {
    jid: personOf(participant.phoneNumber ?? participant.id, participant.id) ?? participant.id,
    isAdmin: Boolean(participant.admin) || participant.isAdmin === true || participant.isSuperAdmin === true,
  };
}

/** Listens to `socket`'s group events, keeps `store`'s groups current and reports each change through `emit`. */
export function watchGroups(socket: BaileysSocket, store: ChatStore, emit: (event: GroupEvent) => void): void {
  const snapshot = (jid: string) => ({ jid, subject: store.name(jid) ?? "", participants: store.participants(jid) ?? [] });
  const remember = (group: GroupMetadata) => store.upsertChat(group.id, { name: group.subject, participants: group.participants.map(participantOf) });

  socket.ev.on("groups.upsert", (groups) => {
    for (const group of groups) {
      remember(group);
      emit({ type: "group", group: snapshot(group.id), change: "created", participants: [] });
    }
  });
  socket.ev.on("groups.update", (updates) => {
    for (const update of updates) {
      if (!update.id || update.subject === undefined) continue;
      store.upsertChat(update.id, { name: update.subject });
      emit({ type: "group", group: snapshot(update.id), change: "subject", participants: [] });
    }
  });
  socket.ev.on("group-participants.update", ({ id, participants, action }) => {
    if (!(action in changeOfAction)) return;
    const change = changeOfAction[action as keyof typeof changeOfAction];
    const changed = participants.map(participantOf);
    const apply = () => {
      const members = new Map((store.participants(id) ?? []).map((member) => [member.jid, member]));
      for (const participant of changed) {
        if (change === "left") members.delete(participant.jid);
        else if (change === "joined") members.set(participant.jid, { jid: participant.jid, isAdmin: false });
        else members.set(participant.jid, { jid: participant.jid, isAdmin: change === "promoted" });
      }
      store.upsertChat(id, { participants: [...members.values()] });
      emit({ type: "group", group: snapshot(id), change, participants: changed.map((participant) => participant.jid) });
    };
    if (store.participants(id)) return apply();
    // A group first heard of through a membership change: read it whole first.
    socket
      .groupMetadata(id)
      .then((group) => {
        remember(group);
        emit({ type: "group", group: snapshot(id), change, participants: changed.map((participant) => participant.jid) });
      })
      .catch(apply);
  });
}
