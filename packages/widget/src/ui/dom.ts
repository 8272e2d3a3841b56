/** A child for h(): strings become text nodes (never parsed as HTML); null/false are skipped. */
export type Child = Node | string | null | false | undefined;

/**
 * Creates an element with attributes and children. Text is always inserted as text nodes, so
 * user content can never become markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string> | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) for (const name in attrs) el.setAttribute(name, attrs[name]!);
  for (const child of children) if (child) el.append(child);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

/** Icon path data (24×24 viewBox, stroked). */
export const ICONS = {
  chat: "M21 12a8 8 0 0 1-11.8 7L4 20l1.1-4.4A8 8 0 1 1 21 12z",
  close: "M6 6l12 12M18 6L6 18",
  send: "M4 12l16-8-6 16-2.5-6.5z",
  check: "M5 12.5l4.5 4.5L19 7.5",
  checks: "M2 12.5l4.5 4.5L16 7.5M11.5 16.5l.5.5L21.5 7.5",
  clock: "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  alert: "M12 7v6M12 16.5v.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  clip: "M21 11l-9 9a6 6 0 0 1-8.5-8.5l9-9a4 4 0 0 1 5.7 5.7l-9 9a2 2 0 0 1-2.9-2.9L15 6.5",
} as const;

/** An inline, decorative (aria-hidden) stroked SVG icon of `size` CSS pixels. */
export function icon(name: keyof typeof ICONS, size = 24): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  const attrs: Record<string, string> = {
    viewBox: "0 0 24 24",
    width: String(size),
    height: String(size),
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "2",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    focusable: "false",
  };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, v);
  svg.append(path);
  return svg;
}
