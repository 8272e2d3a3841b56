/**
 * Group commit: items submitted while earlier commits are in flight wait and are committed
 * together by the next one, so a burst of requests costs a few transactions instead of one each,
 * while a lone request is committed in the next turn of the event loop (no timer, no added
 * latency when idle).
 */
export interface GroupCommitOptions {
  /** Most items one commit takes. */
  maxBatch: number;
  /** Commits in flight at once (1 on a single-connection database). */
  maxConcurrent: number;
}

/**
 * Wraps `commit` (items → one result per item, in order) as a per-item function. Each returned
 * promise settles when the commit holding its item does: with its result, or with that commit's
 * error (every item of a failed commit gets it). Throws a RangeError for options that are not
 * positive integers.
 */
export function groupCommit<Item, Result>(commit: (items: Item[]) => Promise<Result[]>, options: GroupCommitOptions): (item: Item) => Promise<Result> {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, not ${value}.`);
  }
  type Waiting = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let inFlight = 0;
  let pumpScheduled = false;
  // Batches form in a later turn of the event loop (setImmediate runs after the I/O callbacks of
  // the current turn): with PGlite a whole transaction can complete inside one request's
  // microtasks, so starting at once would commit every request alone.
  const schedulePump = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  };

  const pump = () => {
    while (inFlight < options.maxConcurrent && queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      commit(batch.map((waiting) => waiting.item))
        .then((results) => {
          if (results.length !== batch.length) throw new Error(`A group commit of ${batch.length} items returned ${results.length} results.`);
          batch.forEach((waiting, index) => {
            waiting.resolve(results[index]!);
          });
        })
        .catch((error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        })
        .finally(() => {
          inFlight--;
          schedulePump();
        });
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedulePump();
    });
}
