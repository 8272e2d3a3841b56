import tailwindcss from "@tailwindcss/vite";
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

// The dev server talks to a Parley on :3000 (npm start); the build is served by Parley at "/".
const parley = process.env["PARLEY_URL"] ?? "http://127.0.0.1:3000";

export default defineConfig({
  base: "/",
  plugins: [vue(), tailwindcss()],
  // vue-i18n's build flags: composition API only (no legacy API in the bundle), no devtools hooks.
  define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: {
    proxy: {
      "/api": parley,
      "/broadcasting": parley,
      "/widget.js": parley,
      "/widget-demo": parley,
      "/app": { target: parley, ws: true },
    },
  },
});
