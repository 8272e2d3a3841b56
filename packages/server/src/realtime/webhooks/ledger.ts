/**
 * Which nodes hold a "unit" (a channel with subscribers; a user in a presence channel), so that
 * the node whose arrival takes a unit from no node to one, and the node whose departure takes it
 * back to none, are the ones that send `channel_occupied` / `member_added` and `channel_vacated`
 * / `member_removed` — once for the cluster, not once per node (webhooks.md). Each node tells the
 * ledger only its own transitions (its first local subscriber of a unit, its last), so the
 * ledger is touched once per node and unit, not once per connection.
 */

/** A unit: `c {channel}`, or `m {channel} {userId}` (channel names hold no spaces; the user id goes last). */
export type LedgerUnit = string;

/** The unit of a channel's occupancy. */
export function channelUnit(channel: string): LedgerUnit {
  return `c ${channel}`;
}

/** The unit of a user's membership of a presence channel. */
export function memberUnit(channel: string, userId: string): LedgerUnit {
  return `m ${channel} ${userId}`;
}

/** A unit read back. */
export type ParsedUnit = { kind: "channel"; channel: string } | { kind: "member"; channel: string; userId: string };

/** Parses a unit written by {@link channelUnit} or {@link memberUnit}; null for anything else. */
export function parseUnit(unit: string): ParsedUnit | null {
  if (unit.startsWith("c ")) return { kind: "channel", channel: unit.slice(2) };
  if (!unit.startsWith("m ")) return null;
  const space = unit.indexOf(" ", 2);
  if (space === -1) return null;
  return { kind: "member", channel: unit.slice(2, space), userId: unit.slice(space + 1) };
}

/** What a ledger reports besides the answers to enter/leave (cluster implementations only). */
export interface LedgerEvents {
  /** Units whose last node was found dead and swept: they are vacated now. */
  onSwept(units: LedgerUnit[]): void;
  /** Units this node held that it had to enter again after being swept while alive, and that it was first to enter. */
  onRestored(units: LedgerUnit[]): void;
}

/** The cluster-wide record of which nodes hold which units; see the module comment. */
export interface OccupancyLedger {
  /**
   * This node now holds `unit`. Resolves true when no node held it before (announce it).
   * @throws {Error} when the shared store is unreachable (the transition is then unknown).
   */
  enter(unit: LedgerUnit): Promise<boolean>;
  /** This node no longer holds `unit`. Resolves true when no node holds it now. @throws {Error} as {@link enter}. */
  leave(unit: LedgerUnit): Promise<boolean>;
  /** Stops background work and forgets this node's units. Never throws. */
  close(): Promise<void>;
}

/** One node: every local transition is a cluster transition. */
export class LocalLedger implements OccupancyLedger {
  private readonly units = new Set<LedgerUnit>();

  async enter(unit: LedgerUnit): Promise<boolean> {
    if (this.units.has(unit)) return false;
    this.units.add(unit);
    return true;
  }

  async leave(unit: LedgerUnit): Promise<boolean> {
    return this.units.delete(unit);
  }

  async close(): Promise<void> {
    this.units.clear();
  }
}
