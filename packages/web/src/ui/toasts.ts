import { defineStore } from "pinia";
import { ref } from "vue";

export interface Toast {
  id: number;
  text: string;
  tone: "info" | "error";
}

/** Short notices ("Couldn't change the status") shown in a polite live region for 5 s. */
export const useToastsStore = defineStore("toasts", () => {
  const toasts = ref<Toast[]>([]);
  let next = 1;

  function show(text: string, tone: Toast["tone"] = "info"): void {
    const toast = { id: next++, text, tone };
    toasts.value = [...toasts.value.slice(-3), toast];
    setTimeout(() => dismiss(toast.id), 5000);
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  return { toasts, show, dismiss };
});
