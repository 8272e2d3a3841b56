let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562), used as a message's client_message_id. Being time-ordered like the
 * server's ids, it sorts an optimistic bubble after everything already in the thread. Without
 * `at` (ms since the epoch) it uses the clock and ids made in the same millisecond still increase
 * (a 12-bit counter in rand_a); with `at` it encodes that time.
 */
export function uuidv7(at?: number): string {
  let ms: number;
  if (at !== undefined) {
    ms = at;
  } else {
    ms = Date.now();
    if (ms <= lastMs) {
      ms = lastMs;
      sequence = (sequence + 1) & 0xfff;
      if (sequence === 0) ms = ++lastMs;
    } else {
      lastMs = ms;
      sequence = Math.floor(Math.random() * 0x400);
    }
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = ms;
  for (let index = 5; index >= 0; index--) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  const counter = at !== undefined ? ((bytes[6]! << 8) | bytes[7]!) & 0xfff : sequence;
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
