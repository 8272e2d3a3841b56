import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./app/App.vue";
import { useLiveSync } from "./app/live-sync/live-sync.ts";
import { createAppRouter } from "./app/router.ts";
import { linkStores } from "./app/workspace-stores.ts";
import { currentLocale, i18n } from "./i18n/index.ts";
import { configureHttp } from "./lib/http.ts";
import { useSessionStore } from "./modules/auth/store/session.store.ts";
import "./styles.css";

const app = createApp(App);
app.use(i18n);
document.documentElement.lang = currentLocale();
const pinia = createPinia();
app.use(pinia);
linkStores();
const router = createAppRouter();
app.use(router);

const session = useSessionStore();
const liveSync = useLiveSync();
configureHttp({
  token: () => session.token,
  unauthorized: () => {
    session.clear();
    liveSync.stop();
    void router.replace({ name: "login", query: { redirect: router.currentRoute.value.fullPath } });
  },
  serverTime: (date) => liveSync.noteServerTime(date.getTime()),
  locale: currentLocale,
});

// Signing out in another tab signs this one out too.
window.addEventListener("storage", (event) => {
  if (event.key === "parley.token" && !event.newValue && session.token) {
    session.clear();
    liveSync.stop();
    void router.replace({ name: "login" });
  }
});

app.mount("#app");
