/**
 * A URL-safe slug from a workspace name: lower-case ASCII letters, digits and single dashes,
 * at most 48 characters; "workspace" when nothing usable remains.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    // "Ada's Shop" reads as "adas-shop", not "ada-s-shop".
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || "workspace";
}
