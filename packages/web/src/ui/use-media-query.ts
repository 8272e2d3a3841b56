import { onScopeDispose, ref, type Ref } from "vue";

/** Whether `query` matches, kept up to date (false where matchMedia is missing). */
export function useMediaQuery(query: string): Ref<boolean> {
  const list = typeof window !== "undefined" && window.matchMedia ? window.matchMedia(query) : null;
  const matches = ref(list?.matches ?? false);
  const update = (event: MediaQueryListEvent) => (matches.value = event.matches);
  list?.addEventListener("change", update);
  onScopeDispose(() => list?.removeEventListener("change", update));
  return matches;
}

/** Whether the page is visible (the tab is in front), kept up to date. */
export function usePageVisible(): Ref<boolean> {
  const visible = ref(typeof document === "undefined" || document.visibilityState !== "hidden");
  const update = () => (visible.value = document.visibilityState !== "hidden");
  document.addEventListener("visibilitychange", update);
  onScopeDispose(() => document.removeEventListener("visibilitychange", update));
  return visible;
}
