/**
 * A node's session with Redis: its two connections (configured in redis-connection.ts), started
 * once with retries, and the one way the other parts of RedisFanout run commands, so that a
 * command fails as soon as its connection drops and closing waits for every command issued.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { openRedisConnections, quit, untilReady, watchConnection } from "./redis-connection.ts";

/** Options of {@link RedisLink}. */
export interface RedisLinkOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** `CLIENT SETNAME` of each connection. */
  connectionNames: { commands: string; subscriber: string };
  /** ms before a command fails. */
  commandTimeoutMs: number;
  /** Connection trouble and start retries are logged here. */
  logger: Logger;
  /** Called when the commands connection is back after a loss. */
  onCommandsRestored: () => void;
}

/** How {@link RedisLink.start} joins the cluster. */
export interface StartPlan {
  /** One try; retried until it resolves or the link closes. */
  attempt: () => Promise<void>;
  /** ms between tries. */
  retryDelayMs: number;
  /** Called once, after the successful try and before anything waiting for the start runs. */
  onStarted: () => void;
}

/** The commands and subscriber connections of one node, with its start and close; see the module comment. */
export class RedisLink {
  /** Commands and PUBLISH; fails fast when down (no offline queue, nothing resent twice). */
  readonly commands: Redis;
  /** SUBSCRIBE only; ioredis re-subscribes it after every reconnect. */
  readonly subscriber: Redis;
  private readonly logger: Logger;
  private readonly startup: Promise<void>;
  /** Settles {@link startup} from a plan; unset once {@link start} ran. */
  private launch: ((plan: StartPlan) => void) | undefined;
  private isStarted = false;
  private closed: Promise<void> | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  /** Rejecters of the work in flight on the commands connection; see {@link exec}. */
  private readonly inFlight = new Set<(error: Error) => void>();

  /** Opens both connections in the background; nothing is sent until {@link start}. */
  constructor(options: RedisLinkOptions) {
    this.logger = options.logger;
    const connections = openRedisConnections(options.url, options.connectionNames, options.commandTimeoutMs);
    this.commands = connections.commands;
    this.subscriber = connections.subscriber;
    const closing = () => this.closing;
    watchConnection(this.commands, { role: "commands", logger: this.logger, closing, onRestored: options.onCommandsRestored });
    watchConnection(this.subscriber, { role: "subscriber", logger: this.logger, closing, onRestored: () => undefined });
    this.commands.on("close", () => {
      const lost = new Error("Redis connection lost with the command in flight");
      for (const reject of this.inFlight) reject(lost);
      this.inFlight.clear();
    });

    // Created before the plan is known (its parts need this link), so that run() and ready()
    // can wait on it from the start.
    this.startup = new Promise<void>((resolve, reject) => {
      this.launch = (plan) => void this.keepTrying(plan).then(resolve, reject);
    });
    // Registered first, so operations queued on `startup` run after the flag is set and before
    // any operation issued later: join/leave count writes keep their order.
    this.startup.then(
      () => (this.isStarted = true),
      () => undefined,
    );
  }

  /** True once the start plan succeeded. */
  get started(): boolean {
    return this.isStarted;
  }

  /** True from the first call of {@link close}: closes are expected then, and new work is dropped. */
  get closing(): boolean {
    return this.closed !== undefined;
  }

  /**
   * Starts joining the cluster in the background; see {@link ready}.
   * @throws {Error} when called a second time.
   */
  start(plan: StartPlan): void {
    const launch = this.launch;
    if (launch === undefined) throw new Error("This Redis link is already started");
    this.launch = undefined;
    launch(plan);
  }

  /**
   * Resolves once started. @param timeoutMs how long to wait, in ms.
   * @throws {Error} when not started within `timeoutMs` (it keeps trying in the background) or
   *   when closed first.
   */
  ready(timeoutMs: number): Promise<void> {
    if (this.isStarted) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis fan-out not ready within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.startup, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Resolves when both connections are up, the link is started and Redis answers PING.
   * @throws {Error} naming the connection that is down, or Redis's error.
   */
  async ping(): Promise<void> {
    if (this.subscriber.status !== "ready") throw new Error(`Redis subscriber connection is ${this.subscriber.status}`);
    if (!this.isStarted) throw new Error("Redis fan-out is not started yet");
    await this.exec((redis) => redis.ping());
  }

  /** PINGs on the subscriber connection, ignoring the reply. */
  probeSubscriber(): void {
    // Written pings arm the subscriber's socketTimeout: a half-open connection is detected.
    if (this.subscriber.status === "ready") this.subscriber.ping().catch(() => undefined);
  }

  /** Resolves when the commands connection is ready; rejects when it is closed first. */
  commandsReady(): Promise<void> {
    return untilReady(this.commands);
  }

  /**
   * Runs `work` on the commands connection now when started, else once started (in call order,
   * so count writes stay ordered), through {@link exec}; {@link drain} waits for it.
   * @throws {Error} whatever `work` rejects with, or as {@link exec} does.
   */
  run<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    const promise = this.isStarted ? this.exec(work) : this.startup.then(() => this.exec(work));
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /**
   * Runs `work` at once on the commands connection.
   * @throws {Error} as soon as the connection closes with it in flight: ioredis resends nothing
   *   here (autoResendUnfulfilledCommands off) and would leave it hanging until the command
   *   timeout, holding up the HTTP request that published.
   */
  exec<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      work(this.commands)
        .then(resolve, reject)
        .finally(() => this.inFlight.delete(reject));
    });
  }

  /** Resolves once every operation issued through {@link run} so far has settled. Never rejects. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /**
   * Marks the link closing and runs `shutdown` once; later calls return the same promise.
   * @param shutdown the owner's close sequence, ending with {@link quit}.
   */
  close(shutdown: () => Promise<void>): Promise<void> {
    this.closed ??= shutdown();
    return this.closed;
  }

  /** Closes both connections (QUIT when connected). Never throws. */
  async quit(): Promise<void> {
    await Promise.all([quit(this.commands), quit(this.subscriber)]);
  }

  private async keepTrying(plan: StartPlan): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closing) throw new Error("Redis fan-out closed before it started");
      try {
        await plan.attempt();
        break;
      } catch (error) {
        if (this.closing) throw error;
        this.logger.warn({ err: error, attempt }, "redis fan-out not started yet; retrying");
        await sleep(plan.retryDelayMs);
      }
    }
    plan.onStarted();
  }
}
