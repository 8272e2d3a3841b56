import type {
  CampaignProgressEventPayload,
  ContactUpdatedEventPayload,
  ConversationEventPayload,
  InboxQrEventPayload,
  InboxStatusEventPayload,
  MessageEnrichedEventPayload,
  MessageEventPayload,
  MessageStatusEventPayload,
  SyncProgressEventPayload,
  TypingEventPayload,
} from "@parley/protocol/api";
import Echo from "laravel-echo";
import { defineStore } from "pinia";
import Pusher from "pusher-js";
import type { PresenceChannel } from "pusher-js";
import { computed, ref, shallowReactive } from "vue";
import type { Message } from "../../lib/types.ts";
import { useSessionStore } from "../../modules/auth/store/session.store.ts";
import { useCampaignsStore } from "../../modules/campaigns/store/campaigns.store.ts";
import { useContactsStore } from "../../modules/contacts/store/contacts.store.ts";
import { useParticipantsStore } from "../../modules/contacts/store/participants.store.ts";
import { useConversationsStore } from "../../modules/conversations/store/conversations.store.ts";
import { useMessagesStore } from "../../modules/messages/store/messages.store.ts";
import { useInsightsStore } from "../../modules/intelligence/store/insights.store.ts";
import { useInboxesStore } from "../../modules/settings/store/inboxes.store.ts";
import { useTypingStore } from "../../modules/typing/store/typing.store.ts";
import { conversationTitle, messageSnippet } from "../../ui/conversation-text.ts";
import { playChime, showNotification } from "./attention.ts";
import { realtimeApi } from "./realtime.api.ts";
import { t } from "../../i18n/index.ts";

/** What the connection indicator shows. */
export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

/**
 * Catch-up reaches this far (ms) before the last moment we know we were in sync: a dead socket
 * can go unnoticed for an activity timeout plus a pong timeout, and server clocks are read to
 * the second.
 */
export const catchUpSlackMs = 60_000;

export interface OnlineAgent {
  id: string;
  name: string;
  role: string;
}

type PusherEcho = Echo<"pusher">;
type AnyChannel = ReturnType<PusherEcho["private"]>;

/**
 * The live layer: one Laravel Echo (pusher-js) connection to Parley's socket per tab. Routes
 * workspace events into the stores, tracks connection state and online agents, carries typing
 * for the open conversation, and catches up over HTTP whenever the workspace channel is
 * (re)subscribed, so events lost while disconnected are not lost to the agent.
 *
 * Part of the app layer, not a feature store: it is the one place that applies socket events to
 * the feature stores (which never call each other). Pinia only gives it one instance per app.
 */
export const useLiveSync = defineStore("live-sync", () => {
  const session = useSessionStore();
  const conversations = useConversationsStore();
  const messages = useMessagesStore();
  const inboxes = useInboxesStore();
  const typing = useTypingStore();
  const insights = useInsightsStore();
  const participants = useParticipantsStore();
  const campaigns = useCampaignsStore();
  const contacts = useContactsStore();

  const status = ref<ConnectionStatus>("connecting");
  const online = shallowReactive(new Map<string, OnlineAgent>());
  const onlineAgents = computed(() => [...online.values()].sort((a, b) => a.name.localeCompare(b.name)));
  /** Set by the shell so notifications can open a conversation. */
  let openConversationRoute: (id: string) => void = () => {};

  let echo: PusherEcho | null = null;
  let workspaceId: string | null = null;
  let everConnected = false;
  /** Server time (ms) up to which we believe we have every event. */
  let syncedUpTo = 0;
  let catchingUp: Promise<void> | null = null;
  let conversationChannel: { id: string; channel: AnyChannel } | null = null;
  /** The conversation on screen, remembered so a connection made later still subscribes to it. */
  let wantedConversationId: string | null = null;

  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let restarting = false;
  let lastRestartAt = 0;

  /** Records server time seen in an HTTP answer or an event; only counts while in sync. */
  function noteServerTime(ms: number): void {
    if (status.value === "live" || !everConnected) syncedUpTo = Math.max(syncedUpTo, ms);
  }

  function onStateChange(current: string): void {
    // Our own disconnect-then-connect (restartConnection) is part of reconnecting, not going offline.
    if (restarting && current === "disconnected") return;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    if (current === "connected") {
      everConnected = true;
      status.value = "live";
    } else if (current === "connecting" || current === "initialized") {
      status.value = offline ? "offline" : everConnected ? "reconnecting" : "connecting";
    } else if (current === "unavailable") {
      status.value = offline ? "offline" : "reconnecting";
    } else {
      status.value = "offline";
    }
    if (status.value !== "live") {
      // Who is online is unknown while we are not connected; the presence channel refills it.
      online.clear();
      if (everConnected) scheduleProbe();
    }
  }

  const isLive = () => status.value === "live";

  /**
   * While disconnected (after having been connected), asks the server every 1.5–3 s whether it
   * is back (a cheap health check) and reconnects at once when it is, instead of waiting out
   * pusher-js's back-off (up to ~15 s). A restarted attempt gets 10 s before the next restart, so
   * a slow network's handshake is not cut short again and again.
   */
  function scheduleProbe(): void {
    if (probeTimer !== undefined || !echo) return;
    probeTimer = setTimeout(
      async () => {
        probeTimer = undefined;
        if (!echo || isLive()) return;
        const reachable = await fetch("/api/v1/health", { cache: "no-store" }).then(
          (response) => response.ok,
          () => false,
        );
        // The socket may have come back by itself while the probe was in flight.
        if (!echo || isLive()) return;
        if (reachable && Date.now() - lastRestartAt > 10_000) restartConnection();
        scheduleProbe();
      },
      1500 + Math.random() * 1500,
    );
  }

  /** Drops the pending connection attempt and starts a fresh one; channels resubscribe when it connects. */
  function restartConnection(): void {
    const pusher = echo?.connector.pusher;
    if (!pusher) return;
    lastRestartAt = Date.now();
    restarting = true;
    try {
      pusher.disconnect();
      pusher.connect();
    } finally {
      restarting = false;
    }
  }

  function onMessage(payload: MessageEventPayload, inbound: boolean): void {
    noteServerTime(Date.parse(payload.timestamp));
    const message = payload.message;
    messages.receive(message);
    conversations.applyMessage(message);
    insights.messageArrived(message.conversation_id, inbound);
    typing.clearType(message.conversation_id, inbound ? "contact" : "agent");
    if (inbound && typeof document !== "undefined" && document.visibilityState === "hidden") notify(message);
  }

  function notify(message: Message): void {
    const conversation = conversations.get(message.conversation_id);
    const title = conversation ? conversationTitle(conversation) : t("notifications.newMessage");
    playChime();
    showNotification(title, messageSnippet(message) || t("notifications.newMessage"), message.conversation_id, () =>
      openConversationRoute(message.conversation_id),
    );
  }

  function subscribeWorkspace(echoInstance: PusherEcho, id: string): void {
    echoInstance
      .private(`workspace.${id}`)
      .listen(".message.received", (payload: MessageEventPayload) => onMessage(payload, true))
      .listen(".message.sent", (payload: MessageEventPayload) => onMessage(payload, false))
      // Edited or deleted for everyone: replaced in place, not a new message.
      .listen(".message.updated", (payload: MessageEventPayload) => {
        noteServerTime(Date.parse(payload.timestamp));
        messages.receive(payload.message);
      })
      .listen(".message.enriched", (payload: MessageEnrichedEventPayload) => messages.applyEnrichment(payload))
      .listen(".message.status.updated", (payload: MessageStatusEventPayload) => {
        noteServerTime(Date.parse(payload.timestamp));
        messages.applyStatus(payload);
        conversations.applyStatus(payload);
      })
      .listen(".conversation.created", (payload: ConversationEventPayload) => {
        noteServerTime(Date.parse(payload.timestamp));
        conversations.upsert(payload.conversation, true);
      })
      .listen(".conversation.updated", (payload: ConversationEventPayload) => {
        noteServerTime(Date.parse(payload.timestamp));
        conversations.upsert(payload.conversation);
        // Members joining, leaving or made admin come as the group's conversation.updated.
        if (payload.conversation.group) participants.changed(payload.conversation.id);
      })
      .listen(".inbox.status", (payload: InboxStatusEventPayload) => inboxes.applyStatus(payload))
      .listen(".inbox.qr", (payload: InboxQrEventPayload) => inboxes.applyQr(payload))
      .listen(".sync.progress", (payload: SyncProgressEventPayload) => inboxes.applySync(payload))
      .listen(".campaign.progress", (payload: CampaignProgressEventPayload) => campaigns.applyProgress(payload))
      // An opt-out (a customer's STOP) or an edit: the Contacts page and the conversations' contact panel follow.
      .listen(".contact.updated", (payload: ContactUpdatedEventPayload) => {
        contacts.applyUpdated(payload.contact);
        conversations.applyContact(payload.contact);
      })
      // Fires on every (re)subscription, i.e. after each reconnect: fetch what we may have missed.
      .subscribed(() => void catchUp());

    const presence = echoInstance.join(`workspace.${id}`);
    const syncMembers = () => {
      const members = (presence.subscription as PresenceChannel).members;
      online.clear();
      members.each((member: { id: string; info: { name?: string; role?: string } }) => {
        online.set(member.id, { id: member.id, name: member.info?.name ?? t("thread.agent"), role: member.info?.role ?? "" });
      });
    };
    presence.here(syncMembers).joining(syncMembers).leaving(syncMembers);
  }

  /** Connects for `id` (the current workspace), replacing any earlier connection. */
  async function start(id: string): Promise<void> {
    stop();
    workspaceId = id;
    const info = await realtimeApi.info();
    if (workspaceId !== id || !session.token) return;
    const port = Number(location.port) || (location.protocol === "https:" ? 443 : 80);
    echo = new Echo({
      broadcaster: "pusher",
      key: info.app_key,
      cluster: "",
      wsHost: location.hostname,
      wsPort: port,
      wssPort: port,
      forceTLS: location.protocol === "https:",
      enabledTransports: ["ws", "wss"],
      disableStats: true,
      authEndpoint: info.auth_endpoint,
      auth: { headers: { Authorization: `Bearer ${session.token}` } },
      Pusher,
    });
    echo.connector.pusher.connection.bind("state_change", (change: { current: string }) => onStateChange(change.current));
    subscribeWorkspace(echo, id);
    if (wantedConversationId) watchConversation(wantedConversationId);
  }

  /** Catches up from `syncedUpTo` minus the slack: the list, the open thread, the inbox counts. */
  function catchUp(): Promise<void> {
    catchingUp ??= (async () => {
      try {
        if (!syncedUpTo || !workspaceId) return;
        const since = new Date(syncedUpTo - catchUpSlackMs).toISOString();
        await conversations.catchUp(since);
        const openId = conversationChannel?.id ?? null;
        messages.markStale(openId);
        if (openId) await messages.catchUp(openId, since);
        await Promise.all([inboxes.refresh(), participants.refreshShown(), campaigns.catchUp()]);
      } catch {
        // The next (re)subscription tries again; events keep flowing meanwhile.
      } finally {
        catchingUp = null;
      }
    })();
    return catchingUp;
  }

  /** Listens for typing in the open conversation (and stops listening to the previous one). */
  function watchConversation(conversationId: string | null): void {
    wantedConversationId = conversationId;
    if (conversationChannel?.id === conversationId) return;
    if (conversationChannel && echo && workspaceId) {
      echo.leaveChannel(`private-workspace.${workspaceId}.conversation.${conversationChannel.id}`);
      typing.clearType(conversationChannel.id, "contact");
      typing.clearType(conversationChannel.id, "agent");
    }
    conversationChannel = null;
    if (!conversationId || !echo || !workspaceId) return;
    const channel = echo
      .private(`workspace.${workspaceId}.conversation.${conversationId}`)
      .listen(".typing", (payload: TypingEventPayload) => {
        if (payload.sender.type === "agent" && payload.sender.id === session.user?.id) return;
        const name = payload.sender.name || (payload.sender.type === "contact" ? contactName(conversationId) : t("typing.anAgent"));
        typing.set(
          conversationId,
          { key: payload.sender.type === "contact" ? "contact" : `agent:${payload.sender.id ?? name}`, name, type: payload.sender.type },
          payload.is_typing,
        );
      })
      .listenForWhisper("typing", (payload: { is_typing?: boolean; name?: string }) => {
        const name = payload.name || t("typing.anAgent");
        typing.set(conversationId, { key: `agent:${name}`, name, type: "agent" }, payload.is_typing !== false);
      });
    conversationChannel = { id: conversationId, channel };
  }

  function contactName(conversationId: string): string {
    const conversation = conversations.get(conversationId);
    return conversation ? conversationTitle(conversation) : t("conversations.visitor");
  }

  /** Tells the visitor and other agents in the open conversation that this agent is (not) typing. */
  function whisperTyping(conversationId: string, isTyping: boolean): void {
    if (conversationChannel?.id !== conversationId || status.value !== "live") return;
    (conversationChannel.channel as AnyChannel & { whisper(event: string, data: object): unknown }).whisper("typing", {
      is_typing: isTyping,
      name: session.user?.name ?? t("thread.agent"),
    });
  }

  function setConversationOpener(open: (id: string) => void): void {
    openConversationRoute = open;
  }

  /** The browser came back online: try at once rather than at pusher-js's next back-off. */
  function nudge(): void {
    if (echo && status.value !== "live") restartConnection();
  }

  function stop(): void {
    clearTimeout(probeTimer);
    probeTimer = undefined;
    conversationChannel = null;
    wantedConversationId = null;
    echo?.disconnect();
    echo = null;
    workspaceId = null;
    everConnected = false;
    syncedUpTo = 0;
    lastRestartAt = 0;
    online.clear();
    status.value = "connecting";
  }

  return { status, online, onlineAgents, start, stop, catchUp, watchConversation, whisperTyping, noteServerTime, setConversationOpener, nudge, onStateChange };
});
