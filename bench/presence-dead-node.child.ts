/**
 * The node that dies in the presence_dead_node_sweep benchmark: joins `argv` channel as `argv`
 * user on a RedisFanout with the default heartbeat timings, tells the parent, and waits for its
 * SIGKILL.
 */
import { pino } from "pino";
import { RedisFanout } from "../packages/server/src/realtime/fanout/redis.ts";

const [redisUrl, keyPrefix, channel, userId] = process.argv.slice(2) as [string, string, string, string];
const fanout = new RedisFanout({ url: redisUrl, keyPrefix, logger: pino({ level: "silent" }) });
fanout.bind({ delivered: () => undefined, terminateUser: () => undefined });
await fanout.ready();
await fanout.addPresenceMember(channel, "7.7", { id: userId }, 100);
process.send?.("joined");
setInterval(() => undefined, 60_000);
