/**
 * The client's address behind load balancers (`TRUST_PROXY`): which `X-Forwarded-For` entries
 * to believe. The same trust decides `request.ip` in Fastify (per-IP rate limits, request logs)
 * and the address the real-time server records for a WebSocket upgrade, so both see one client.
 * Parsing follows proxy-addr (what Fastify and Express use): the address is the right-most
 * `X-Forwarded-For` entry not sent by a trusted proxy.
 */
import type { IncomingMessage } from "node:http";
import proxyAddr from "@fastify/proxy-addr";

/**
 * `TRUST_PROXY`: a hop count (that many proxies in front of every node, whoever the peer is), or
 * the addresses and CIDR ranges of the proxies (`10.0.0.0/8,192.168.1.7`; proxy-addr's names
 * `loopback`, `linklocal` and `uniquelocal` too). A list is the safer form: with a hop count, a
 * client that reaches a node directly chooses its own address.
 */
export type TrustProxy = { hops: number } | { addresses: string[] };

/** Whether the hop `hop` (0 = the socket's peer) at `address` is a proxy to see past. */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * Reads `TRUST_PROXY`. Returns undefined when empty or `0` (no proxy: the socket's peer is the client).
 * @throws {Error} naming the entry that is neither a hop count nor an IP address, range or name.
 */
export function parseTrustProxy(text: string | undefined): TrustProxy | undefined {
  const value = text?.trim() ?? "";
  if (value === "" || value === "0") return undefined;
  if (/^\d+$/.test(value)) return { hops: Number(value) };
  const addresses = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const entry of addresses) {
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new Error(`"${entry}" is neither a hop count nor an IP address, CIDR range, loopback, linklocal or uniquelocal`);
    }
  }
  return { addresses };
}

/** The trust function of a setting; trusts nobody without one. */
export function trustFunction(setting: TrustProxy | undefined): TrustFunction {
  if (setting === undefined) return () => false;
  if ("hops" in setting) {
    const { hops } = setting;
    return (_address, hop) => hop < hops;
  }
  return proxyAddr.compile(setting.addresses);
}

/** The client's address of a request (or upgrade request) under `trust`; "" when the socket is gone. */
export function clientAddress(request: IncomingMessage, trust: TrustFunction): string {
  if (request.socket.remoteAddress === undefined) return "";
  return proxyAddr(request, trust);
}
