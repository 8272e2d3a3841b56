/**
 * Decides what to do with an HTTP upgrade request, before any WebSocket exists.
 * Source: pusher-websockets-protocol.md § WebSocket connection (`/app/{key}?protocol=7&client=…&version=…`)
 * and § Error Codes (4001, 4003, 4004, 4005, 4007, 4100).
 */
import { CloseCode, isSupportedProtocol } from "@parley/protocol";

/** Where an upgrade request goes. */
export type UpgradeRoute =
  /** `/app/{key}`: a Pusher connection attempt. */
  | { kind: "app"; key: string; protocol: string | null }
  /** Under `/app` but not `/app/{key}`: accepted only to be closed with 4005. */
  | { kind: "bad-app-path" }
  /** Not ours: another upgrade handler may want it. */
  | { kind: "other" };

/** Classifies an upgrade request URL (`req.url`: path and query). Never throws. */
export function routeUpgrade(url: string | undefined): UpgradeRoute {
  let parsed: URL;
  try {
    parsed = new URL(url ?? "/", "http://localhost");
  } catch {
    return { kind: "other" };
  }
  const path = parsed.pathname;
  if (path !== "/app" && !path.startsWith("/app/")) return { kind: "other" };
  const match = /^\/app\/([^/]+)\/?$/.exec(path);
  if (match === null) return { kind: "bad-app-path" };
  let key: string;
  try {
    key = decodeURIComponent(match[1] ?? "");
  } catch {
    return { kind: "bad-app-path" };
  }
  return { kind: "app", key, protocol: parsed.searchParams.get("protocol") };
}

/** What admission needs to know. */
export interface AdmissionInput {
  route: UpgradeRoute;
  appKey: string;
  /** False when the app is disabled. */
  enabled: boolean;
  /** The app's open connections on this node. */
  openConnections: number;
  /** The app's open connections counted against its quota: this node's, plus the other nodes' when known. */
  appConnections: number;
  /** The app's connection quota. */
  connectionQuota: number;
  /** This node's capacity for the app's connections. */
  maxConnections: number;
}

/**
 * The close code refusing a connection, or null to accept it. A missing `protocol` falls back to
 * protocol 1 (documented, deprecated), which is unsupported, hence 4007.
 */
export function admission({ route, appKey, enabled, openConnections, appConnections, connectionQuota, maxConnections }: AdmissionInput): CloseCode | null {
  if (route.kind !== "app") return CloseCode.PathNotFound;
  if (route.key !== appKey) return CloseCode.ApplicationDoesNotExist;
  if (!enabled) return CloseCode.ApplicationDisabled;
  if (!isSupportedProtocol(route.protocol)) return CloseCode.UnsupportedProtocolVersion;
  if (appConnections >= connectionQuota) return CloseCode.OverConnectionQuota;
  if (openConnections >= maxConnections) return CloseCode.OverCapacity;
  return null;
}
