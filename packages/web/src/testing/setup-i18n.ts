/**
 * Every web test starts in English with the app's i18n installed on mounted components, as
 * main.ts installs it: components' `t()`, `$t` and <i18n-t> all work, and assertions read English.
 */
import { config } from "@vue/test-utils";
import { beforeEach } from "vitest";
import { i18n, setLocale } from "../i18n/index.ts";

config.global.plugins = [...config.global.plugins, i18n];
beforeEach(() => setLocale("en"));
