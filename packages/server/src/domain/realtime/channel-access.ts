import { parseParleyChannel } from "@parley/protocol/api";
import { DomainError } from "../errors.ts";
import type { Store, WidgetSession } from "../ports.ts";
import type { Principal } from "../tenancy/tenancy.ts";

/** Who asks to subscribe: a signed-in user, or a website visitor's widget session. */
export type ChannelCaller = { kind: "user"; principal: Principal } | { kind: "visitor"; session: WidgetSession };

/** What a granted subscription carries: presence channels get the member's identity. */
export interface ChannelGrant {
  presence?: { userId: string; userInfo: { name: string; role: string } };
}

export interface ChannelAccessDependencies {
  store: Store;
}

/**
 * Who may subscribe to which channel (ARCHITECTURE.md, "Real-time contract"): workspace,
 * conversation and presence channels only members of that workspace; a visitor channel only
 * that conversation's widget session. Throws `channels.forbidden` (403) otherwise, including for
 * channel names Parley does not use.
 */
export async function authorizeChannel(deps: ChannelAccessDependencies, caller: ChannelCaller, channelName: string): Promise<ChannelGrant> {
  const { store } = deps;
  const channel = parseParleyChannel(channelName);
  if (!channel) throw forbidden();
  if (channel.kind === "visitor") {
    if (caller.kind !== "visitor" || caller.session.conversationId !== channel.conversationId) throw forbidden();
    return {};
  }
  if (caller.kind !== "user") throw forbidden();
  const membership = await store.members.find(channel.workspaceId, caller.principal.user.id);
  if (!membership) throw forbidden();
  if (channel.kind === "conversation") {
    const conversation = await store.conversations.findById(channel.workspaceId, channel.conversationId);
    if (!conversation) throw forbidden();
  }
  if (channel.kind === "presence") {
    return { presence: { userId: membership.user.id, userInfo: { name: membership.user.name, role: membership.role } } };
  }
  return {};
}

/** Channel authorization bound to its dependencies, for the broadcasting route. */
export function channelAccessUseCases(deps: ChannelAccessDependencies) {
  return {
    authorize: (caller: ChannelCaller, channelName: string) => authorizeChannel(deps, caller, channelName),
  };
}

export type ChannelAccessUseCases = ReturnType<typeof channelAccessUseCases>;

function forbidden(): DomainError {
  return new DomainError("channels.forbidden", "You may not subscribe to this channel.");
}
