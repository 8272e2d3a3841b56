/**
 * The Cloud API send limiter's per-number state in shared memory, so that the threads of one
 * process (the main thread's live replies, the campaign thread's sends: jobs/campaign-thread.ts)
 * draw on one budget per phone number, as WHATSAPP_CLOUD_SENDS_PER_SECOND promises ("live replies
 * and campaigns together").
 *
 * A fixed table of {@link SHARED_SEND_RATE_SLOTS} numbers. A number's slot is found by a 64-bit
 * FNV-1a hash of its phone number id, probing linearly; the first thread to see it claims a free
 * slot with a compare-and-swap, so every thread finds the same slot without asking another. Each
 * slot's state is read and written under a spin lock of its own, held for a few arithmetic
 * operations and never across an await. A full table (more numbers than slots) keeps the further
 * numbers' state in the calling thread only: their budget is per thread, as it is per node.
 */

/** Phone numbers the table holds: far more than one deployment's Cloud API inboxes. */
export const SHARED_SEND_RATE_SLOTS = 1024;

/** One number's limiter state (rate-limiter.ts, GCRA), ms on Date.now()'s clock, the same on every thread. */
export interface NumberRateState {
  /** Theoretical arrival time of the next send (GCRA), ms. */
  tat: number;
  /** No send for this number starts before this time, ms (a 130429 back-off). */
  pausedUntil: number;
}

/** Where a limiter keeps its numbers' states: this thread's memory, or memory shared between threads. */
export interface RateStateStore {
  /** Runs `change` on `key`'s state (zeros at first) with no other thread changing it meanwhile; returns what it returns. `change` must not await. */
  update<T>(key: string, change: (state: NumberRateState) => T): T;
}

/** States in this thread's memory (the default). */
export function localRateStates(): RateStateStore {
  const states = new Map<string, NumberRateState>();
  return {
    update(key, change) {
      let state = states.get(key);
      if (!state) {
        state = { tat: 0, pausedUntil: 0 };
        states.set(key, state);
      }
      return change(state);
    },
  };
}

const LOCK_BYTES = SHARED_SEND_RATE_SLOTS * Int32Array.BYTES_PER_ELEMENT;
const KEY_BYTES = SHARED_SEND_RATE_SLOTS * BigInt64Array.BYTES_PER_ELEMENT;
const STATE_BYTES = SHARED_SEND_RATE_SLOTS * 2 * Float64Array.BYTES_PER_ELEMENT;

/** Memory for {@link sharedRateStates}: create it once per process and hand it to every thread (workerData). */
export function sharedRateMemory(): SharedArrayBuffer {
  return new SharedArrayBuffer(LOCK_BYTES + KEY_BYTES + STATE_BYTES);
}

/**
 * States in `memory` (from {@link sharedRateMemory}), shared by every thread given the same
 * memory. Throws a RangeError for memory of another size.
 */
export function sharedRateStates(memory: SharedArrayBuffer): RateStateStore {
  if (memory.byteLength !== LOCK_BYTES + KEY_BYTES + STATE_BYTES) throw new RangeError("This is not the memory of a shared send-rate table.");
  const locks = new Int32Array(memory, 0, SHARED_SEND_RATE_SLOTS);
  const keys = new BigInt64Array(memory, LOCK_BYTES, SHARED_SEND_RATE_SLOTS);
  const states = new Float64Array(memory, LOCK_BYTES + KEY_BYTES, SHARED_SEND_RATE_SLOTS * 2);
  const slots = new Map<string, number>();
  const overflow = localRateStates();

  const slotOf = (key: string): number => {
    const known = slots.get(key);
    if (known !== undefined) return known;
    const hash = fingerprint(key);
    const first = Number(BigInt.asUintN(64, hash) % BigInt(SHARED_SEND_RATE_SLOTS));
    for (let probe = 0; probe < SHARED_SEND_RATE_SLOTS; probe++) {
      const slot = (first + probe) % SHARED_SEND_RATE_SLOTS;
      const holder = Atomics.compareExchange(keys, slot, 0n, hash);
      if (holder === 0n || holder === hash) {
        slots.set(key, slot);
        return slot;
      }
    }
    slots.set(key, -1);
    return -1;
  };

  return {
    update(key, change) {
      const slot = slotOf(key);
      if (slot < 0) return overflow.update(key, change);
      // Held for a few operations by a thread that is running: spinning beats sleeping here.
      while (Atomics.compareExchange(locks, slot, 0, 1) !== 0);
      try {
        const state = { tat: states[slot * 2]!, pausedUntil: states[slot * 2 + 1]! };
        const result = change(state);
        states[slot * 2] = state.tat;
        states[slot * 2 + 1] = state.pausedUntil;
        return result;
      } finally {
        // Atomics.store orders the state's writes before the release, for the next holder.
        Atomics.store(locks, slot, 0);
      }
    },
  };
}

/** 64-bit FNV-1a of the key's UTF-16 code units, as a signed BigInt64 value that is never 0 (0 marks a free slot). */
function fingerprint(key: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    hash ^= BigInt(key.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const signed = BigInt.asIntN(64, hash);
  return signed === 0n ? 1n : signed;
}
