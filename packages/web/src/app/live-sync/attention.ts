/**
 * Getting the agent's attention when the tab is hidden: a short chime (synthesised, so there is
 * no audio file to load) and a desktop notification when the agent has allowed them.
 */

let audio: AudioContext | null = null;

/** Plays a soft two-note chime (~0.3 s). Silently does nothing where audio is unavailable. */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.2);
    }
  } catch {
    // Autoplay policy or no audio device: the notification and the title still tell.
  }
}

/** "granted", "denied", "default", or "unsupported". */
export function notificationPermission(): NotificationPermission | "unsupported" {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** Asks for permission to show desktop notifications (must run from a click). */
export async function requestNotifications(): Promise<NotificationPermission | "unsupported"> {
  if (typeof Notification === "undefined") return "unsupported";
  return Notification.requestPermission();
}

/** Shows a desktop notification if allowed; `onClick` runs when the agent clicks it. */
export function showNotification(title: string, body: string, tag: string, onClick: () => void): void {
  if (notificationPermission() !== "granted") return;
  try {
    const notification = new Notification(title, { body, tag, icon: "/favicon.svg" });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the chime still plays.
  }
}
