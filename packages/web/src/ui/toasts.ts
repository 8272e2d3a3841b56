import { ref } from "vue";

export interface Toast {
  id: number;
  text: string;
  tone: "info" | "error";
}

/**
 * Short notices ("Couldn't change the status") shown in a polite live region for 5 s, at most
 * four at a time. A UI service rather than a store: anything may show one (a component, a
 * store's failed request) without depending on another store; ToastHost draws them.
 */
export const toasts = ref<Toast[]>([]);
let next = 1;

/** Shows `text` for 5 s. */
export function showToast(text: string, tone: Toast["tone"] = "info"): void {
  const toast = { id: next++, text, tone };
  toasts.value = [...toasts.value.slice(-3), toast];
  setTimeout(() => dismissToast(toast.id), 5000);
}

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id);
}
