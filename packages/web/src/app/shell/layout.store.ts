import { defineStore } from "pinia";
import { ref } from "vue";

/** Layout choices that outlive a component: whether the contact panel is open. */
export const useLayoutStore = defineStore("ui", () => {
  // Wide screens show all three panels, as WhatsApp Web does with contact info open.
  const contactOpen = ref(typeof window !== "undefined" && !!window.matchMedia?.("(min-width: 1200px)").matches);
  return { contactOpen };
});
