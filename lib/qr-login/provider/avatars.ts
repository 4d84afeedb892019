const PALETTE = ["#2563eb", "#16a34a", "#db2777", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#dc2626"];

function initialsOf(name: string): string {
  const words = name.trim().split(/[\s._@-]+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? "?").slice(0, 2)];
  return letters.join("").toUpperCase();
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

/** An initials avatar as an SVG data URI: shows on any origin, needs no file or network. */
export function initialsAvatar(name: string): string {
  const hue = [...name].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) >>> 0, 7) % PALETTE.length;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="48" fill="${PALETTE[hue]}"/>` +
    `<text x="48" y="50" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" ` +
    `font-size="38" font-weight="600" fill="#fff">${escapeXml(initialsOf(name))}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
