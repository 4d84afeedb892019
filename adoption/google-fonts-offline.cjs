// create-next-app's layout loads Geist and Geist Mono through next/font/google, which fetches
// from Google at build time; this machine reaches only the npm registry. Next's own hook for that
// (NEXT_FONT_GOOGLE_MOCKED_RESPONSES, which its test suite uses) answers from here instead, so
// the new app builds unchanged. Each answer is one @font-face in the shape Google sends; its font
// file comes from ADOPTION_FONT_URL, a local server (Turbopack fetches font files over HTTP).
const fontUrl = process.env.ADOPTION_FONT_URL;
if (!fontUrl) throw new Error("ADOPTION_FONT_URL is not set: the adoption test serves the offline font file");

const face = (family) => `/* latin */
@font-face {
  font-family: '${family}';
  font-style: normal;
  font-weight: 100 900;
  font-display: swap;
  src: url(${fontUrl}) format('woff2');
  unicode-range: U+0000-00FF;
}
`;

module.exports = Object.fromEntries(
  ["Geist", "Geist Mono"].map((family) => [
    `https://fonts.googleapis.com/css2?family=${family.replace(/ /g, "+")}:wght@100..900&display=swap`,
    face(family),
  ]),
);
