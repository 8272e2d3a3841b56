import { ApiError, isAuthError } from "./api.ts";
import type { Api } from "./api.ts";
import { fullJitter } from "./backoff.ts";
import { socketUrl } from "./config.ts";
import { newClientMessageId } from "./ids.ts";
import { Poller } from "./poller.ts";
import { EV_ASSIGNED, EV_CLIENT_TYPING, EV_MESSAGE, EV_STATUS, EV_TYPING } from "./protocol.ts";
import type { Message, Profile, Session, StatusUpdate } from "./protocol.ts";
import { RealtimeClient } from "./realtime.ts";
import type { RealtimeState, SocketConstructor } from "./realtime.ts";
import { Receipts } from "./receipts.ts";
import { MessageStore } from "./store.ts";
import type { Entry } from "./store.ts";
import type { TokenStore } from "./storage.ts";
import { TypingNotifier } from "@parley/protocol/typing";
import { t } from "./i18n.ts";

/** What the chat tells its view. Every method must be cheap and must not throw. */
export interface ChatListener {
  /** Messages, session or connection state changed. */
  changed(): void;
  /** A new agent message arrived live (not on the first history load). */
  received(entry: Entry): void;
  /** An agent is typing (their name, or "" when unknown), or stopped (null). */
  agentTyping(name: string | null): void;
  /** The conversation was assigned to the agent named. */
  assigned(name: string): void;
}

export interface ChatOptions {
  api: Api;
  tokens: TokenStore;
  listener: ChatListener;
  /** Whether the visitor can see the conversation right now (window open, page visible). */
  viewing: () => boolean;
  /** Absent (old browser, tests): poll only. */
  WebSocket?: SocketConstructor;
  random?: () => number;
  newId?: () => string;
  /** Polling period while the socket is down, in ms (default 3000). */
  pollMs?: number;
  /** Batching window of delivered/read receipts, in ms (default 300). */
  receiptDelayMs?: number;
}

/** Largest file a visitor may send, in bytes: the server's cap on visitor uploads (10 MB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const PAGE = 50;
/** Margin subtracted from the last sync time when asking for changes, in ms (clock skew). */
const CHANGE_SLACK_MS = 60_000;
// An agent's typing indicator expires when no new typing event arrives for this long (ms).
const TYPING_TTL = 3000;

/**
 * One visitor's conversation: session lifecycle (resume a stored token, or create one lazily on
 * the pre-chat form or the first message), history and catch-up, optimistic sends with retry,
 * the real-time channel with polling while it is down, receipts and typing. No DOM.
 */
export class Chat {
  /** The conversation's messages. */
  readonly store = new MessageStore();
  /** The live session, null before one is started or after the server rejected the token. */
  session: Session | null = null;
  /** State of the real-time connection ("closed" without a session). */
  connection: RealtimeState = "closed";

  private realtime: RealtimeClient | null = null;
  private readonly poller: Poller;
  private receipts: Receipts;
  private readonly typingOut: TypingNotifier;
  private pending: Promise<Session | null> | null = null;
  private wasDown = false;
  private seenUpTo = "";
  // False until the first page of history is in: messages in that page are not "new".
  private loaded = false;
  /** When the last catch-up succeeded (ms since epoch): status changes after it may be missed. */
  private syncedAt: number | null = null;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeAttempt = 0;
  private stopped = false;
  /** Files of attachment sends not yet confirmed, by client_message_id; `mediaId` once uploaded. */
  private readonly files = new Map<string, { file: File; mediaId?: string }>();

  constructor(private readonly o: ChatOptions) {
    this.poller = new Poller(() => this.catchUp(), o.pollMs ?? 3000);
    this.receipts = this.newReceipts();
    this.typingOut = new TypingNotifier((isTyping) => this.sendTyping(isTyping));
  }

  /** True while a session exists but its socket is not subscribed after having failed once. */
  get reconnecting(): boolean {
    return this.session !== null && this.wasDown && this.connection !== "subscribed";
  }

  /**
   * Resumes the stored session, if any. A rejected token is forgotten (the view then offers a
   * fresh pre-chat); a network or server error is retried later with back-off. Never rejects.
   */
  async start(): Promise<void> {
    if (this.stopped || this.session || !this.o.tokens.get()) return;
    try {
      await this.ensureSession(null);
    } catch {
      const delay = 1000 + fullJitter(this.resumeAttempt++, 2000, 60_000, this.o.random);
      this.resumeTimer = setTimeout(() => void this.start(), delay);
    }
  }

  /** Starts (or resumes) the session with the pre-chat details. Rejects with ApiError. */
  async begin(profile: Profile): Promise<void> {
    await this.ensureSession(profile);
  }

  /**
   * Sends the visitor's message: shown at once as pending, then reconciled with the server's
   * copy; marked failed when the POST fails. Creates the session first when there is none.
   */
  send(body: string): void {
    const text = body.trim();
    if (!text) return;
    const id = (this.o.newId ?? newClientMessageId)();
    this.store.addLocal({
      body: text,
      client_message_id: id,
      conversation_id: this.session?.conversation.id ?? "",
      created_at: new Date().toISOString(),
    });
    this.typingOut.stop();
    this.o.listener.changed();
    void this.post(id);
  }

  /**
   * Sends a file the visitor picked: shown at once as a pending attachment, uploaded, then sent
   * with its media_id. Returns why it was refused before any upload (empty, or larger than
   * MAX_FILE_BYTES), else null. Upload and send failures mark the message failed, with Retry.
   */
  sendFile(file: File): string | null {
    if (file.size > MAX_FILE_BYTES) return t("fileTooLarge", { name: file.name });
    if (!file.size) return t("fileEmpty", { name: file.name });
    const id = (this.o.newId ?? newClientMessageId)();
    const mime = file.type || "application/octet-stream";
    const top = mime.split("/")[0]!;
    this.files.set(id, { file });
    this.store.addLocal({
      body: null,
      client_message_id: id,
      conversation_id: this.session?.conversation.id ?? "",
      created_at: new Date().toISOString(),
      type: top === "image" || top === "video" || top === "audio" ? top : "document",
      media: { id: "", mime, size: file.size, url: "", filename: file.name },
    });
    this.o.listener.changed();
    void this.post(id);
    return null;
  }

  /** Re-sends a failed message with the same client_message_id (the server deduplicates). */
  retry(clientMessageId: string): void {
    if (!this.store.resend(clientMessageId)) return;
    this.o.listener.changed();
    void this.post(clientMessageId);
  }

  /** Call on each keystroke in the composer. */
  typing(): void {
    if (this.session) this.typingOut.input();
  }

  /** Call when the visitor may have just seen the conversation: acknowledges agent messages as read. */
  seen(): void {
    if (!this.session || !this.o.viewing()) return;
    const last = this.lastAgentId();
    if (!last) return;
    if (last > this.seenUpTo) {
      this.seenUpTo = last;
      this.o.listener.changed();
    }
    this.receipts.request("read", last);
  }

  /** Reconnects at once instead of waiting out the back-off (e.g. the browser came back online). */
  wake(): void {
    this.realtime?.connect();
  }

  /** Number of agent messages the visitor has not seen. */
  unread(): number {
    return this.store.entries.filter((e) => e.direction === "outbound" && e.id !== null && e.id > this.seenUpTo).length;
  }

  /** Stops all network activity and timers. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.resumeTimer);
    this.teardown();
  }

  private async ensureSession(profile: Profile | null): Promise<Session | null> {
    // Serialise: a send during a resume waits for it instead of creating a second session.
    while (this.pending) await this.pending.catch(() => null);
    if (this.session) return this.session;
    this.pending = this.open(profile).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async open(profile: Profile | null): Promise<Session | null> {
    const token = this.o.tokens.get();
    if (token) {
      try {
        const resumed = await this.o.api.resumeSession(token);
        // The server may leave the token out of a resume answer: it is the one we sent.
        return this.attach({ ...resumed, session_token: resumed.session_token || token });
      } catch (error) {
        // Only a definitive "no" forgets the token; outages and 5xx keep it for a later try.
        const status = error instanceof ApiError ? error.status : 0;
        if (status < 400 || status >= 500 || status === 429) throw error;
        this.o.tokens.clear();
      }
    }
    if (!profile) return null;
    const session = await this.o.api.createSession(profile);
    this.o.tokens.set(session.session_token);
    return this.attach(session);
  }

  private attach(session: Session): Session {
    // A resume or create that was in flight when stop() was called must not come back to life.
    if (this.stopped) return session;
    this.teardown();
    this.session = session;
    this.receipts = this.newReceipts();
    this.seenUpTo = "";
    this.loaded = false;
    this.syncedAt = null;
    this.o.listener.changed();
    void this.catchUp();
    if (this.o.WebSocket) {
      this.realtime = new RealtimeClient({
        url: socketUrl(this.o.api.baseUrl, session.realtime.ws_path),
        channel: session.realtime.channel,
        authorize: (socketId, channel) =>
          this.o.api.authorize(session.session_token, session.realtime.auth_endpoint, socketId, channel).catch((e) => {
            if (isAuthError(e)) this.expire(session);
            throw e;
          }),
        onEvent: (event, data) => this.onEvent(event, data),
        onState: (state) => this.onConnection(state),
        WebSocket: this.o.WebSocket,
        random: this.o.random,
      });
      this.realtime.connect();
    } else {
      this.poller.start();
    }
    return session;
  }

  // The server no longer accepts this session: forget it so the view offers a fresh start.
  private expire(session: Session): void {
    if (this.session !== session) return;
    // Cleared first so teardown does not try to tell a dead session that typing stopped.
    this.session = null;
    this.teardown();
    this.o.tokens.clear();
    this.store.clear();
    this.files.clear();
    this.o.listener.changed();
  }

  private teardown(): void {
    this.realtime?.disconnect();
    this.realtime = null;
    this.poller.stop();
    this.receipts.cancel();
    this.typingOut.stop();
    clearTimeout(this.agentTypingTimer);
    this.connection = "closed";
    this.wasDown = false;
  }

  private newReceipts(): Receipts {
    return new Receipts(async (kind, upTo) => {
      if (this.session) await this.o.api.receipt(this.session.session_token, kind, upTo);
    }, this.o.receiptDelayMs);
  }

  private onConnection(state: RealtimeState): void {
    this.connection = state;
    if (state === "subscribed") {
      this.poller.stop();
      // Events published while we were away are not replayed: fetch what we missed.
      void this.catchUp();
    } else if (state !== "closed") {
      if (state === "down") this.wasDown = true;
      this.poller.start();
    }
    this.o.listener.changed();
  }

  /** Fetches messages after the newest one held (the latest page when none). Never rejects. */
  private async catchUp(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const startedAt = Date.now();
    try {
      if (this.syncedAt !== null) {
        // Ticks that moved while we were away arrive as changes, not as new messages. The slack
        // covers clock skew between this browser and the server.
        const changes = await this.o.api.changedSince(session.session_token, new Date(this.syncedAt - CHANGE_SLACK_MS).toISOString());
        if (this.session !== session) return;
        this.ingest(changes, this.loaded);
      }
      for (let page = 0; page < 20; page++) {
        const after = this.store.lastId();
        const messages = await this.o.api.messages(session.session_token, after, PAGE);
        if (this.session !== session) return;
        this.ingest(messages, this.loaded);
        this.loaded = true;
        if (after === null || messages.length < PAGE) break;
      }
      this.syncedAt = startedAt;
    } catch (error) {
      if (isAuthError(error)) this.expire(session);
    }
  }

  private async post(clientMessageId: string): Promise<void> {
    try {
      const session = await this.ensureSession({});
      const entry = this.store.byClientId(clientMessageId);
      if (!session || !entry) return;
      // A retry after a failed send reuses the upload rather than storing the file twice.
      const attachment = this.files.get(clientMessageId);
      if (attachment && !attachment.mediaId) attachment.mediaId = (await this.o.api.upload(session.session_token, attachment.file, attachment.file.name)).id;
      this.ingest([await this.o.api.send(session.session_token, entry.body ?? "", clientMessageId, attachment?.mediaId)], false);
      this.files.delete(clientMessageId);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : -1;
      const reason = status === 413 ? t("tooLarge") : status === 0 ? t("offline") : undefined;
      if (this.store.markFailed(clientMessageId, reason)) this.o.listener.changed();
      if (isAuthError(error) && this.session) this.expire(this.session);
    }
  }

  private ingest(messages: readonly Message[], live: boolean): void {
    let changed = false;
    let undelivered = "";
    for (const m of messages) {
      if (!m || typeof m.id !== "string") continue;
      const result = this.store.upsert(m);
      if (result !== "unchanged") changed = true;
      if (m.direction !== "outbound") continue;
      if (m.status === "sent" || m.status === "pending") {
        if (m.id > undelivered) undelivered = m.id;
      } else {
        this.receipts.known("delivered", m.id);
      }
      if (m.status === "read" || m.status === "played") {
        this.receipts.known("read", m.id);
        if (m.id > this.seenUpTo) this.seenUpTo = m.id;
      }
      if (result === "added" && live) {
        this.setAgentTyping(null);
        const entry = this.store.entries.find((e) => e.id === m.id);
        if (entry) this.o.listener.received(entry);
      }
    }
    if (undelivered) this.receipts.request("delivered", undelivered);
    if (changed) this.o.listener.changed();
    this.seen();
  }

  private onEvent(event: string, data: unknown): void {
    const d = (data ?? {}) as Record<string, unknown>;
    if (event === EV_MESSAGE) {
      const message = d.message as Message | undefined;
      if (message && typeof message === "object") this.ingest([message], true);
    } else if (event === EV_STATUS) {
      const update = d as unknown as StatusUpdate;
      if (typeof update.message_id !== "string" || !this.store.applyStatus(update)) return;
      // An agent message read in another tab of this visitor: clear this tab's badge too.
      const entry = this.store.entries.find((e) => e.id === update.message_id);
      if (entry?.direction === "outbound" && (entry.status === "read" || entry.status === "played")) {
        this.receipts.known("read", entry.id!);
        if (entry.id! > this.seenUpTo) this.seenUpTo = entry.id!;
      }
      this.o.listener.changed();
    } else if (event === EV_TYPING) {
      const sender = (d.sender ?? {}) as { type?: unknown; name?: unknown };
      if (sender.type === "contact") return;
      this.setAgentTyping(d.is_typing === true ? (typeof sender.name === "string" ? sender.name : "") : null);
    } else if (event === EV_ASSIGNED) {
      // ConversationAssignedEventPayload (packages/protocol/src/api.ts): assignee is null when unassigned.
      const who = d.assignee as { name?: unknown } | null | undefined;
      if (typeof who?.name === "string" && who.name) this.o.listener.assigned(who.name);
    }
  }

  private setAgentTyping(name: string | null): void {
    clearTimeout(this.agentTypingTimer);
    if (name !== null) this.agentTypingTimer = setTimeout(() => this.o.listener.agentTyping(null), TYPING_TTL);
    this.o.listener.agentTyping(name);
  }

  private sendTyping(isTyping: boolean): void {
    const session = this.session;
    if (!session) return;
    if (this.realtime?.trigger(EV_CLIENT_TYPING, { is_typing: isTyping })) return;
    this.o.api.typing(session.session_token, isTyping).catch(() => {});
  }

  private lastAgentId(): string {
    let last = "";
    for (const e of this.store.entries) if (e.direction === "outbound" && e.id !== null && e.id > last) last = e.id;
    return last;
  }
}
