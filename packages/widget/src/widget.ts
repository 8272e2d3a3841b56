import { Api, ApiError } from "./api.ts";
import type { FetchLike } from "./api.ts";
import { Chat } from "./chat.ts";
import type { Settings } from "./config.ts";
import type { WidgetConfig } from "./protocol.ts";
import type { SocketConstructor } from "./realtime.ts";
import { tokenStore } from "./storage.ts";
import { chooseLocale, locale, setLocale, t } from "./i18n.ts";
import { CSS as STYLES } from "./styles.ts";
import { composer } from "./ui/composer.ts";
import type { Composer } from "./ui/composer.ts";
import { h } from "./ui/dom.ts";
import { launcher } from "./ui/launcher.ts";
import type { Launcher } from "./ui/launcher.ts";
import { messageList } from "./ui/messages.ts";
import type { MessageList } from "./ui/messages.ts";
import { panel } from "./ui/panel.ts";
import type { Panel } from "./ui/panel.ts";
import { prechat } from "./ui/prechat.ts";
import type { Prechat } from "./ui/prechat.ts";

export interface WidgetOptions {
  settings: Settings;
  fetch: FetchLike;
  /** Omit to poll only. */
  WebSocket?: SocketConstructor;
  /** Returns localStorage; may throw or return null where storage is blocked. */
  storage: () => Storage | null;
  /** Polling period while the socket is down, in ms (default 3000). */
  pollMs?: number;
  /** Receipt batching window, in ms (default 300). */
  receiptDelayMs?: number;
  random?: () => number;
}

const DEFAULT_COLOR = "#2563eb";
const ID = "parley-win";

/** The visitor's browser languages, best first. */
function languages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function validColor(color: string | null | undefined): color is string {
  if (!color) return false;
  const css = globalThis.CSS as typeof CSS | undefined;
  return typeof css?.supports !== "function" || css.supports("color", color);
}

// White text unless the brand colour is light (hex only; other syntaxes keep white).
function textOn(color: string): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!m) return "#fff";
  const hex = m[1]!.length === 3 ? m[1]!.replace(/./g, "$&$&") : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.6 ? "#111827" : "#fff";
}

/**
 * The embeddable chat widget: a launcher bubble and a chat window in a shadow root appended to
 * `document.body`, driven by a Chat. Construct, then `mount()`.
 */
export class Widget {
  readonly chat: Chat;
  /** The element added to the page; its open shadow root holds the UI. */
  readonly host: HTMLElement;
  private readonly api: Api;
  private readonly root: ShadowRoot;
  // Built by build(), again when the inbox's language turns out to differ from the first guess.
  private wrap!: HTMLDivElement;
  private launcher!: Launcher;
  private panel!: Panel;
  private list!: MessageList;
  private composer!: Composer;
  private typingEl!: HTMLDivElement;
  private typingText!: HTMLSpanElement;
  private live!: HTMLDivElement;
  private prechatForm: Prechat | null = null;
  private chatShown = false;
  private config: WidgetConfig | null = null;
  private agentName = "";
  private isOpen = false;
  private skipped = false;
  private resuming = false;
  private destroyed = false;
  private readonly onVisible = () => this.chat.seen();
  private readonly onOnline = () => this.chat.wake();

  constructor(private readonly o: WidgetOptions) {
    const { settings } = o;
    this.api = new Api(settings.baseUrl, settings.widgetKey, o.fetch);
    this.chat = new Chat({
      api: this.api,
      tokens: tokenStore(settings.widgetKey, o.storage),
      WebSocket: o.WebSocket,
      random: o.random,
      pollMs: o.pollMs,
      receiptDelayMs: o.receiptDelayMs,
      viewing: () => this.isOpen && document.visibilityState !== "hidden" && this.chat.session !== null,
      listener: {
        changed: () => this.render(),
        received: (entry) => {
          // Announced even while closed: screen-reader users hear replies like a notification.
          this.live.textContent = `${entry.sender.name || t("agent")}: ${entry.body ?? entry.media?.filename ?? entry.type}`;
        },
        agentTyping: (name) => {
          this.typingEl.hidden = name === null;
          this.typingText.textContent = t("typing", { name: name || this.agentName || t("agent") });
        },
        assigned: (name) => {
          this.agentName = name;
          this.render();
        },
      },
    });

    this.host = document.createElement("parley-widget");
    // Inline, so it beats the page's own rules (e.g. `* {letter-spacing}`) that would otherwise
    // reach the host and be inherited through the shadow boundary.
    this.host.style.cssText = "all:initial";
    this.root = this.host.attachShadow({ mode: "open" });
    setLocale(chooseLocale(settings.locale, languages()));
    this.build();
  }

  /** (Re)builds the UI in the active language; before mount, so nothing typed is lost. */
  private build(): void {
    const { settings } = this.o;
    this.launcher = launcher(ID, () => this.toggle());
    this.panel = panel(ID, () => this.close());
    this.list = messageList(
      (id) => {
        this.chat.retry(id);
        // The row is re-rendered, so its Retry button (which had focus) is gone.
        this.composer.focus();
      },
      t("empty"),
      settings.baseUrl,
    );
    this.composer = composer(
      (text) => this.chat.send(text),
      () => this.chat.typing(),
      (file) => this.composer.setError(this.chat.sendFile(file) ?? ""),
    );
    this.typingText = h("span");
    this.typingEl = h("div", { class: "typing" }, h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), this.typingText);
    this.typingEl.hidden = true;
    this.live = h("div", { class: "sr", role: "status", "aria-live": "polite" });
    this.wrap = h("div", { class: "pw" }, this.panel.el, this.launcher.el, this.live);
    this.panel.el.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
      }
    });
    this.root.replaceChildren(h("style", null, STYLES), this.wrap);
  }

  /**
   * Loads the inbox's config, adds the widget to the page and resumes a stored session.
   * Resolves once visible. An unknown widget key (404) leaves the page untouched.
   */
  async mount(): Promise<void> {
    try {
      this.config = await this.api.config();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        console.warn("Parley: unknown widget key", this.o.settings.widgetKey);
        return;
      }
      // Offline or server trouble: show the widget with defaults; sending will retry.
    }
    if (this.destroyed) return;
    const wanted = chooseLocale(this.o.settings.locale ?? this.config?.locale, languages());
    if (wanted !== locale()) {
      setLocale(wanted);
      this.build();
    }
    this.theme();
    document.body.append(this.host);
    document.addEventListener("visibilitychange", this.onVisible);
    window.addEventListener("focus", this.onVisible);
    window.addEventListener("online", this.onOnline);
    this.resuming = true;
    this.render();
    // Next frame, so the fade-in transition runs from opacity 0.
    requestAnimationFrame(() => this.wrap.classList.add("ready"));
    await this.chat.start();
    this.resuming = false;
    this.render();
  }

  /** Opens the chat window and moves focus into it. */
  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.render();
    this.focus();
    this.chat.seen();
    // Availability may have changed since the page loaded.
    this.api.config().then(
      (config) => {
        this.config = config;
        this.render();
      },
      () => {},
    );
  }

  /** Closes the chat window; focus returns to the launcher if it was inside the window. */
  close(): void {
    if (!this.isOpen) return;
    const hadFocus = this.panel.el.contains(this.host.shadowRoot!.activeElement);
    this.isOpen = false;
    this.render();
    if (hadFocus) this.launcher.el.focus();
  }

  /** Opens when closed, closes when open. */
  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  /** Removes the widget from the page and stops all network activity. */
  destroy(): void {
    this.destroyed = true;
    this.chat.stop();
    document.removeEventListener("visibilitychange", this.onVisible);
    window.removeEventListener("focus", this.onVisible);
    window.removeEventListener("online", this.onOnline);
    this.host.remove();
  }

  private theme(): void {
    const s = this.o.settings;
    const color = [s.color, this.config?.color, DEFAULT_COLOR].find(validColor)!;
    this.wrap.style.setProperty("--c", color);
    this.wrap.style.setProperty("--ct", textOn(color));
    this.wrap.classList.toggle("left", (s.position ?? this.config?.position) === "left");
    this.panel.setTitle(s.title ?? this.config?.name ?? t("title"));
    this.list.setEmpty(this.config?.greeting || t("empty"));
  }

  private showsPrechat(): boolean {
    return !this.chat.session && !this.resuming && (this.o.settings.requireName || !this.skipped);
  }

  private render(): void {
    const { chat, panel } = this;
    this.theme();
    panel.setOpen(this.isOpen);
    this.launcher.setOpen(this.isOpen);
    this.launcher.setUnread(this.isOpen ? 0 : chat.unread());
    const who = this.agentName ? `${this.agentName} · ` : "";
    if (chat.reconnecting) panel.setStatus("re", t("reconnecting"));
    else if (this.config?.agents_online) panel.setStatus("on", who + t("online"));
    else panel.setStatus("away", who + t("away"));

    if (this.showsPrechat()) {
      if (!this.prechatForm) {
        this.chatShown = false;
        this.prechatForm = prechat(
          this.o.settings.requireName,
          (profile) => this.chat.begin(profile),
          () => {
            this.skipped = true;
            this.render();
            this.composer.focus();
          },
        );
        panel.show(this.prechatForm.el);
      }
    } else {
      if (!this.chatShown) {
        const hadFocus = !!this.prechatForm?.el.contains(this.host.shadowRoot!.activeElement);
        this.prechatForm = null;
        this.chatShown = true;
        panel.show(this.list.el, this.typingEl, this.composer.el);
        if (hadFocus) this.composer.focus();
      }
      this.list.render(chat.store.entries);
    }
  }

  private focus(): void {
    if (this.prechatForm) this.prechatForm.focus();
    else this.composer.focus();
  }
}
