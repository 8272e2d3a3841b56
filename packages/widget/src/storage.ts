/** Where the visitor's session token lives between visits. */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/**
 * Keeps the token in localStorage under `parley:{widgetKey}`. Storage can be missing or throw
 * (private modes, sandboxed iframes, cookie blocking): then the token lives in memory only and
 * the visitor simply gets a new session on the next page load.
 */
export function tokenStore(widgetKey: string, getStorage: () => Storage | null): TokenStore {
  const key = `parley:${widgetKey}`;
  let memory: string | null = null;
  const storage = (): Storage | null => {
    try {
      return getStorage();
    } catch {
      return null;
    }
  };
  return {
    get() {
      try {
        return storage()?.getItem(key) ?? memory;
      } catch {
        return memory;
      }
    },
    set(token) {
      memory = token;
      try {
        storage()?.setItem(key, token);
      } catch {
        // Memory copy above is the fallback.
      }
    },
    clear() {
      memory = null;
      try {
        storage()?.removeItem(key);
      } catch {
        // Nothing stored then.
      }
    },
  };
}
