/**
 * The WhatsApp Web sessions this node runs (ARCHITECTURE.md, "Topology" and "WhatsApp Web
 * login"): every `roundEveryMs` it renews its session leases and takes unowned sessions up to
 * `maxSessions` (domain/whatsapp-web/session-ownership.ts); each session's engine reports to the
 * inbox (status, reason, QR as a PNG data URL) and feeds messages and acks into the inbound
 * pipeline, and the history the phone pushes as imported history (within the sync's limits,
 * whenever it comes: the sync's progress is left alone). A lost connection reconnects with
 * jittered back-off (1 s doubling to 60 s); a logged-out session waits, `failed`, for `restart`
 * to show a new QR.
 */
import type { PendingOutcomeWrites } from "../domain/campaigns/outcome-writes.ts";
import type { Logger } from "pino";
import type { Clock } from "../domain/clock.ts";
import { DomainError } from "../domain/errors.ts";
import type { EventPublisher } from "../domain/events.ts";
import type { Store } from "../domain/ports.ts";
import type { SecretSealer } from "../domain/security.ts";
import { type FetchedMedia, type OutboundContent, ProviderError } from "../domain/providers/provider.ts";
import type { EngineEvent, EngineKind, EngineMedia, WhatsAppEngine } from "../domain/whatsapp-web/engine.ts";
import { phoneOfJid } from "../domain/whatsapp-web/jid.ts";
import { type SessionCredentials, sessionCredentials } from "../domain/whatsapp-web/session-credentials.ts";
import { importHistoryPush } from "../domain/whatsapp-web/history-import.ts";
import { defaultSyncSettings } from "../domain/whatsapp-web/initial-sync.ts";
import { receiveFromSession, recordSessionState } from "../domain/whatsapp-web/session-events.ts";
import { kickInboxCampaigns } from "../domain/campaigns/scheduling.ts";
import { sessionOwnership } from "../domain/whatsapp-web/session-ownership.ts";
import { SessionEventQueue } from "./session-event-queue.ts";

/** Makes an engine of one kind for an inbox's session (async, so a library loads only when a session needs it). */
export type EngineFactory = (inboxId: string, credentials: SessionCredentials) => WhatsAppEngine | Promise<WhatsAppEngine>;

export interface SessionRuntimeOptions {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  sealer: SecretSealer;
  logger: Logger;
  /** Campaign outcomes held unwritten in this process; acks wait for them (domain/campaigns/outcome-writes.ts). */
  outcomeWrites?: PendingOutcomeWrites | undefined;
  /** This node's id among the nodes sharing the database. */
  nodeId: string;
  /** `WHATSAPP_MAX_SESSIONS`: sessions this node runs at most. */
  maxSessions: number;
  /** The engines this node can run, by kind; an inbox of another kind is marked failed. */
  engines: Partial<Record<EngineKind, EngineFactory>>;
  /** A QR code as a PNG data URL (`qrcode`'s toDataURL). */
  qrImage(code: string): Promise<string>;
  /** Lease time in ms (default 30,000: a dead node's sessions move within about that). */
  leaseTtlMs?: number;
  /** Ownership round period in ms (default a third of the lease time). */
  roundEveryMs?: number;
  /** How long a QR stays on screen before WhatsApp replaces it, in ms (default 20,000). */
  qrLifetimeMs?: number;
  /**
   * The inboxes' own job queues (`whatsapp.session`): this node works the queue of each session
   * it holds, from before the session starts until it is lost or stopped.
   */
  inboxQueues: InboxQueueWorker;
}

/** An inbox's `whatsapp.session` queue as this node uses it (jobs/pg-boss.ts `createInboxQueue`, `workInbox`, `stopInbox`). */
export interface InboxQueueWorker {
  /** Creates the queue if it does not exist. */
  create(inboxId: string): Promise<void>;
  /** Starts working it here. */
  work(inboxId: string): Promise<void>;
  /** Stops working it here; running tasks finish or are handed back. */
  stop(inboxId: string): Promise<void>;
}

interface RunningSession {
  inboxId: string;
  workspaceId: string;
  engine: WhatsAppEngine;
  unsubscribe: () => void;
  /** Events are handled one after another, in the order the engine reported them. */
  queue: SessionEventQueue;
  reconnects: number;
  reconnectTimer: NodeJS.Timeout | undefined;
  /** Parley's sends not yet answered by WhatsApp: an own message's echo waits for them. */
  sendsInFlight: Set<Promise<unknown>>;
  /** WhatsApp's ids of Parley's recent sends (the last 1,000), whose echoes are not "sent from the phone". */
  sentIds: Set<string>;
  /** Media of the last 500 messages heard live, by message id, until the media.download job fetches it (older ones: `engine.mediaOf`). */
  media: Map<string, EngineMedia>;
}

/** Starts nothing until `start()`; `round()` runs one ownership round now (tests, inbox creation). */
export function createSessionRuntime(options: SessionRuntimeOptions) {
  const { store, logger } = options;
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const roundEveryMs = options.roundEveryMs ?? Math.floor(leaseTtlMs / 3);
  const qrLifetimeMs = options.qrLifetimeMs ?? 20_000;
  const deps = { store, events: options.events, clock: options.clock, outcomeWrites: options.outcomeWrites };
  const sessions = new Map<string, RunningSession>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const ownership = sessionOwnership({
    leases: store.sessionLeases,
    nodeId: options.nodeId,
    leaseTtlMs,
    maxSessions: options.maxSessions,
    onAcquired: async (inboxId) => {
      // The queue exists before the session starts (a session ready at once schedules its sync
      // into it) and is worked once the session's status says connecting, so a queued reply
      // waits for the connection instead of failing against a stale "ready".
      await options.inboxQueues.create(inboxId);
      await startSession(inboxId);
      await options.inboxQueues.work(inboxId);
    },
    onLost: async (inboxId) => {
      await stopSession(inboxId, { keepLease: true });
      await options.inboxQueues.stop(inboxId);
    },
  });

  async function startSession(inboxId: string): Promise<void> {
    const found = await store.inboxes.findWithConfig(inboxId);
    if (found?.inbox.provider !== "whatsapp_web") return;
    const kind = found.inbox.engine ?? "baileys";
    const factory = options.engines[kind];
    if (!factory) {
      await recordSessionState(deps, inboxId, { status: "failed", reason: `The ${kind} engine is not available on this server.`, qr: null });
      return;
    }
    const engine = await factory(inboxId, sessionCredentials(store.sessionCredentials, options.sealer, inboxId));
    const session: RunningSession = {
      inboxId,
      workspaceId: found.inbox.workspaceId,
      engine,
      unsubscribe: () => {},
      queue: new SessionEventQueue(
        (events) => handle(session, events),
        (error, events) => logger.error({ err: error, inboxId, event: events[0]!.type, events: events.length }, "a WhatsApp session event was not applied"),
      ),
      reconnects: sessions.get(inboxId)?.reconnects ?? 0,
      reconnectTimer: undefined,
      sendsInFlight: new Set(),
      sentIds: sessions.get(inboxId)?.sentIds ?? new Set(),
      media: sessions.get(inboxId)?.media ?? new Map(),
    };
    session.unsubscribe = engine.on((event) => session.queue.push(event));
    sessions.set(inboxId, session);
    await recordSessionState(deps, inboxId, { status: "connecting", reason: null });
    await engine.start();
  }

  async function handle(session: RunningSession, events: EngineEvent[]): Promise<void> {
    const { inboxId } = session;
    const [event] = events;
    if (!event) return;
    if (event.type === "message" || event.type === "ack") {
      await receiveMessagesAndAcks(session, events);
      return;
    }
    switch (event.type) {
      case "qr": {
        const qr = { code: event.code, imageDataUrl: await options.qrImage(event.code), expiresAt: new Date(options.clock.now().getTime() + qrLifetimeMs) };
        await recordSessionState(deps, inboxId, { status: "qr_ready", reason: null, qr });
        return;
      }
      case "authenticated":
        await recordSessionState(deps, inboxId, { status: "authenticated", reason: null, qr: null });
        return;
      case "ready": {
        session.reconnects = 0;
        const inbox = await recordSessionState(deps, inboxId, { status: "ready", reason: null, qr: null, phoneNumber: phoneOfJid(event.me.jid) });
        // The initial chat sync, once: a reconnect does not import the history again.
        if (inbox && inbox.sync?.status !== "completed" && inbox.sync?.status !== "running") {
          await store.jobs.schedule("whatsapp.session", { inboxId, task: { kind: "sync", offset: 0 } }, { singletonKey: "sync:0", priority: "background" });
        }
        if (inbox) await kickInboxCampaigns(store, inbox);
        return;
      }
      case "disconnected":
        await onDisconnected(session, event.reason);
        return;
      case "history": {
        // Before, during or after the sync: the pipeline skips what the sync (or an earlier push) stored.
        const outcome = await importHistoryPush(deps, { id: inboxId, workspaceId: session.workspaceId }, event, defaultSyncSettings);
        logger.info({ inboxId, chats: event.chats.length, messages: event.messages.length, ...outcome }, "WhatsApp history push imported");
        return;
      }
      default: {
        const outcome = await receiveFromSession(deps, { id: inboxId, workspaceId: session.workspaceId }, [event]);
        logger.debug({ inboxId, event: event.type, ...outcome }, "WhatsApp session event applied");
      }
    }
  }

  /** Consecutive messages and acks (session-event-queue.ts), in one pass through the inbound pipeline, less the echoes of Parley's own sends. */
  async function receiveMessagesAndAcks(session: RunningSession, events: EngineEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== "message" || !event.message.media) continue;
      session.media.set(event.message.id, event.message.media);
      if (session.media.size > 500) session.media.delete(session.media.keys().next().value!);
    }
    // The libraries echo Parley's own sends, sometimes before the send call answers.
    if (events.some((event) => event.type === "message" && event.message.fromMe)) await Promise.allSettled([...session.sendsInFlight]);
    const heard = events.filter((event) => !(event.type === "message" && event.message.fromMe && session.sentIds.has(event.message.id)));
    if (heard.length === 0) return;
    const outcome = await receiveFromSession(deps, { id: session.inboxId, workspaceId: session.workspaceId }, heard);
    logger.debug({ inboxId: session.inboxId, events: heard.length, ...outcome }, "WhatsApp session events applied");
  }

  async function onDisconnected(session: RunningSession, reason: Extract<EngineEvent, { type: "disconnected" }>["reason"]): Promise<void> {
    const { inboxId } = session;
    if (reason === "stopped" || sessions.get(inboxId) !== session) return;
    session.unsubscribe();
    if (reason === "logged_out") {
      sessions.delete(inboxId);
      await recordSessionState(deps, inboxId, {
        status: "failed",
        reason: "Logged out from the phone: restart the inbox to link it again with a new QR.",
        qr: null,
      });
      return;
    }
    if (reason === "restart_required") {
      await startSession(inboxId);
      return;
    }
    // Jittered so that the sessions of a node that lost its network do not all return at once.
    const delayMs = Math.min(60_000, 1000 * 2 ** session.reconnects) * (0.5 + Math.random() / 2);
    session.reconnects += 1;
    await recordSessionState(deps, inboxId, {
      status: "connecting",
      reason: reason === "replaced" ? "WhatsApp was opened elsewhere: reconnecting." : "Connection lost: reconnecting.",
    });
    session.reconnectTimer = setTimeout(() => {
      if (stopped || sessions.get(inboxId) !== session) return;
      startSession(inboxId).catch((error: unknown) => logger.error({ err: error, inboxId }, "reconnecting a WhatsApp session failed"));
    }, delayMs);
  }

  async function stopSession(inboxId: string, { keepLease }: { keepLease: boolean }): Promise<void> {
    const session = sessions.get(inboxId);
    sessions.delete(inboxId);
    if (session) {
      clearTimeout(session.reconnectTimer);
      session.unsubscribe();
      await session.engine.stop().catch((error: unknown) => logger.warn({ err: error, inboxId }, "stopping a WhatsApp session failed"));
    }
    if (!keepLease) {
      await ownership.release(inboxId);
      await options.inboxQueues.stop(inboxId);
    }
  }

  /** The session of an inbox this node runs, ready or not; throws `inboxes.not_connected` otherwise. */
  function sessionOf(inboxId: string): RunningSession {
    const session = sessions.get(inboxId);
    if (!session) throw new DomainError("inboxes.not_connected", "This WhatsApp inbox's session does not run on this server now.");
    return session;
  }

  return {
    /** Runs ownership rounds until `stop()`; the first at once. */
    start(): void {
      const tick = () => {
        ownership.round().catch((error: unknown) => logger.error({ err: error }, "the WhatsApp session ownership round failed"));
      };
      tick();
      timer = setInterval(tick, roundEveryMs);
      timer.unref();
    },
    /** One ownership round now: takes new sessions at once (after an inbox is created). */
    round: () => ownership.round(),
    /**
     * Sends through an inbox's session here, remembering WhatsApp's id so the library's echo of
     * it is not taken for a message written on the phone. Throws `inboxes.not_connected` when
     * the session runs elsewhere, and the engine's error otherwise.
     */
    async send(inboxId: string, chat: string, content: OutboundContent, options: { quotedId?: string | null } = {}): Promise<{ id: string; at: Date }> {
      const session = sessionOf(inboxId);
      const sending = session.engine.send(chat, content, options);
      session.sendsInFlight.add(sending);
      try {
        const sent = await sending;
        session.sentIds.add(sent.id);
        if (session.sentIds.size > 1000) session.sentIds.delete(session.sentIds.values().next().value!);
        return sent;
      } finally {
        session.sendsInFlight.delete(sending);
      }
    },
    /**
     * The bytes of a message's media heard, synced or pushed to this node's session (the
     * media.download job). Throws a ProviderError: `later` while the session is elsewhere,
     * `never` once WhatsApp or this node no longer has it.
     */
    async fetchMedia(inboxId: string, messageId: string): Promise<FetchedMedia> {
      const session = sessions.get(inboxId);
      if (!session) throw new ProviderError({ retry: "later", reason: "The WhatsApp session of this inbox is not connected here." });
      const media = session.media.get(messageId) ?? (await session.engine.mediaOf(messageId));
      if (!media) throw new ProviderError({ retry: "never", reason: "The attachment is no longer available from WhatsApp here." });
      const bytes = await media.download();
      if (!bytes) throw new ProviderError({ retry: "never", reason: "WhatsApp no longer has this attachment." });
      session.media.delete(messageId);
      return { bytes, mime: media.mime, filename: media.filename };
    },
    /** The engine of an inbox whose session runs here, or null. */
    engineFor: (inboxId: string): WhatsAppEngine | null => sessions.get(inboxId)?.engine ?? null,
    /** Whether this node holds the inbox's session (its lease and its queue), connected or not. */
    runsSession: (inboxId: string): boolean => ownership.holds(inboxId),
    /** How many sessions this node holds (health, metrics). */
    heldCount: (): number => ownership.held().length,
    /** Stops and starts an inbox's session (a logged-out one shows a new QR). Throws `inboxes.not_connected` when it runs elsewhere. */
    async restart(inboxId: string): Promise<void> {
      if (!ownership.held().includes(inboxId)) throw new DomainError("inboxes.not_connected", "This WhatsApp inbox's session does not run on this server now.");
      await stopSession(inboxId, { keepLease: true });
      await startSession(inboxId);
    },
    /** Unlinks the device and forgets its credentials; the inbox waits, failed, for a restart. */
    async logout(inboxId: string): Promise<void> {
      const session = sessionOf(inboxId);
      sessions.delete(inboxId);
      session.unsubscribe();
      await session.engine.logout();
      await recordSessionState(deps, inboxId, { status: "failed", reason: "Logged out: restart the inbox to link it again with a new QR.", qr: null });
    },
    /** The pairing code to enter on the phone instead of scanning the QR. */
    requestPairingCode: (inboxId: string, phoneNumber: string): Promise<string> => sessionOf(inboxId).engine.requestPairingCode(phoneNumber),
    /** Stops every session and hands the leases back, so other nodes take them at once. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      for (const inboxId of ownership.held()) await stopSession(inboxId, { keepLease: false });
    },
    /**
     * Drops every session as a crash would: connections closed, nothing logged out, leases and
     * queued jobs left for another node to take once the leases expire (`RunningParley.kill`).
     */
    async abandon(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      for (const inboxId of ownership.held()) {
        await stopSession(inboxId, { keepLease: true });
        await options.inboxQueues.stop(inboxId);
      }
    },
  };
}

export type SessionRuntime = ReturnType<typeof createSessionRuntime>;
