import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const documents = ["README.md", ...readdirSync(path.join(root, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** The text outside fenced code blocks, line by line (a path in a shell example may be made up). */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/`/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Markdown links and images to something in this repository: [text](target), not URLs. */
function localLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of prose(markdown)) {
    // A target may hold balanced parentheses, as CommonMark allows: ../app/(demo)/page.tsx.
    for (const match of line.matchAll(/\]\(((?:[^()\s]|\([^()\s]*\))+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      targets.push(target);
    }
  }
  return targets;
}

const repoFolders = ["lib", "app", "components", "e2e", "test-support", "scripts", "docs", "deploy", "adoption", "registry", "types", "public"];
const repoPath = new RegExp(`^(?:${repoFolders.join("|")})/[^\\s]*$|^\\.env\\.example$`);

/** Backticked strings that name a file or folder of this repository (not globs or placeholders). */
function backtickedPaths(markdown: string): string[] {
  const paths: string[] = [];
  for (const line of prose(markdown)) {
    for (const match of line.matchAll(/`([^`\n]+)`/g)) {
      const text = match[1]!.trim();
      if (!repoPath.test(text) || /[*<>…{}$]/.test(text)) continue;
      paths.push(text.replace(/[#:].*$/, ""));
    }
  }
  return paths;
}

/** The variables lib/qr-login/platform/config.ts validates: the keys of its environment schema (lib/qr-login/platform/config-schema.ts). */
function configVariables(): string[] {
  const source = read("lib/qr-login/platform/config-schema.ts");
  const schema = /const envSchema = z\.object\(\{\n([\s\S]*?)\n\}\);/.exec(source);
  if (!schema) throw new Error("lib/qr-login/platform/config-schema.ts: no `const envSchema = z.object({ … });` to read the variables from");
  return [...schema[1]!.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!);
}

/** The first cells of docs/configuration.md's tables headed "Variable". */
function documentedVariables(): string[] {
  const variables: string[] = [];
  let inTable = false;
  for (const line of read("docs/configuration.md").split("\n")) {
    if (!line.startsWith("|")) {
      inTable = false;
      continue;
    }
    const first = line.split("|")[1]!.trim();
    if (/^Variable$/.test(first)) inTable = true;
    else if (inTable && !/^-+$/.test(first)) variables.push(...[...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!));
  }
  return variables;
}

describe("the README and docs/", () => {
  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const document of documents) {
      const markdown = read(document);
      for (const target of localLinks(markdown)) {
        const [file, anchor] = target.split("#");
        const resolved = file ? path.posix.normalize(path.posix.join(path.posix.dirname(document), decodeURI(file))) : document;
        if (!existsSync(path.join(root, resolved))) {
          broken.push(`${document}: (${target}) → ${resolved} does not exist`);
        } else if (anchor && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor)) {
          broken.push(`${document}: (${target}) → ${resolved} has no heading #${anchor}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("name only repository paths that exist", () => {
    const missing: string[] = [];
    for (const document of documents) {
      for (const named of backtickedPaths(read(document))) {
        if (!existsSync(path.join(root, named))) missing.push(`${document}: \`${named}\``);
      }
    }
    expect(missing).toEqual([]);
  });

  it("list in docs/configuration.md every variable lib/qr-login/platform/config.ts reads, and no other", () => {
    const validated = configVariables();
    const listed = documentedVariables();
    expect(validated.length).toBeGreaterThan(20);
    expect(validated.filter((name) => !listed.includes(name)), "read by lib/qr-login/platform/config.ts, missing from docs/configuration.md").toEqual([]);
    expect(listed.filter((name) => !validated.includes(name)), "in docs/configuration.md's table, not read by lib/qr-login/platform/config.ts").toEqual([]);
  });
});
