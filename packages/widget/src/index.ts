import { boot } from "./boot.ts";

// currentScript is only set while this file first executes, so read it now. The selector is the
// fallback for loaders that inject the script in ways that leave it null.
boot((document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>("script[data-widget-key]"));
