/**
 * English words of the app's frame around every page: the sidebar (workspace switcher, presence, language, log out), the live-connection badge and desktop notifications. Top-level sections of the dictionary, spread into en.ts, kept in a
 * file of their own so each part of the app merges apart from the rest.
 */
export const enShell = {
  sidebar: {
    switchWorkspace: "Switch workspace",
    workspace: "Workspace",
    workspaces: "Workspaces",
    online: "{count} online | {count} online",
    onlineNow: "Online now",
    menu: "Menu",
    enableNotifications: "Enable desktop notifications",
    logOut: "Log out",
    language: "Language",
    languageNotSaved: "The language changed here but could not be saved to your account.",
  },
  connection: {
    live: "Live",
    liveHint: "Connected: updates arrive as they happen.",
    connecting: "Connecting…",
    connectingHint: "Connecting to Parley.",
    reconnecting: "Reconnecting…",
    reconnectingHint: "Connection lost; reconnecting. Missed messages load when it is back.",
    offline: "Offline",
    offlineHint: "You are offline. Messages will load when the connection is back.",
  },
  notifications: {
    newMessage: "New message",
  },
};
