import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { importsOf, isTestFile, packageOf, resolveImport, shadcnItemOf } from "@/registry/import-graph";
import { buildRegistryManifest, type RegistryManifest } from "@/registry/registry-manifest";

const root = path.resolve(__dirname, "..");
const committed = JSON.parse(readFileSync(path.join(root, "registry.json"), "utf8")) as RegistryManifest;
const itemNamed = (name: string) => committed.items.find((item) => item.name === name);

describe("the shadcn registry", () => {
  it("is what `npm run registry:build` makes from the items' entry points (run it after moving files)", () => {
    expect(committed).toEqual(buildRegistryManifest(root));
  });

  it("has every file an item's files import, and every package, in the item itself", () => {
    for (const item of committed.items) {
      const available = new Set(item.files.map((file) => file.path));
      const packages = new Set([...item.dependencies, ...item.devDependencies].map((spec) => spec.replace(/@[^@/]+$/, "")));
      const missing: string[] = [];
      const unlisted = new Set<string>();
      for (const file of item.files.filter((file) => /\.m?tsx?$/.test(file.path))) {
        for (const specifier of importsOf(root, file.path)) {
          const resolved = resolveImport(root, file.path, specifier);
          const primitive = resolved && shadcnItemOf(resolved);
          if (primitive && !item.registryDependencies.includes(primitive)) missing.push(`${file.path} → ${resolved} (registryDependencies: "${primitive}")`);
          if (resolved && !primitive && !available.has(resolved)) missing.push(`${file.path} → ${resolved}`);
          const name = packageOf(specifier);
          if (!resolved && name && !["next", "react", "react-dom"].includes(name) && !packages.has(name)) unlisted.add(name);
        }
      }
      expect(missing, `${item.name}: imported files missing from the registry`).toEqual([]);
      expect([...unlisted], `${item.name}: imported packages missing from its dependencies`).toEqual([]);
    }
  });

  it("installs from any origin: the provider item carries the client item whole and names no other item", () => {
    // shadcn 4.23.1 reads a relative registryDependencies entry as a local file, and an absolute
    // one ties the item to one origin (it was http://localhost:3000/r/qr-login.json).
    const client = itemNamed("qr-login")!;
    const provider = itemNamed("qr-login-provider")!;
    // Every file of the client lands too; where the provider has its own at that path
    // (instrumentation.ts), its own, which runs the client's start with the provider's part.
    const targets = (item: typeof client) => item.files.map((file) => file.target);
    expect(targets(provider)).toEqual(expect.arrayContaining(targets(client)));
    expect(new Set(targets(provider)).size).toBe(provider.files.length);
    expect(provider.files.find((file) => file.target === "instrumentation.ts")?.path).toBe("registry/qr-login-provider/instrumentation.ts");
    expect(client.files.find((file) => file.target === "instrumentation.ts")?.path).toBe("registry/qr-login/instrumentation.ts");
    expect(provider.dependencies).toEqual(expect.arrayContaining(client.dependencies));
    expect(provider.devDependencies).toEqual(expect.arrayContaining(client.devDependencies));
    expect(provider.envVars).toEqual(client.envVars);
    // What shadcn would fetch from somewhere else: a URL, a path, or one of these items by name
    // (a bare name is looked up at ui.shadcn.com, right only for shadcn's own primitives).
    const ours = new Set(committed.items.map((item) => item.name));
    for (const item of committed.items) {
      const built = JSON.parse(readFileSync(path.join(root, "public/r", `${item.name}.json`), "utf8")) as { registryDependencies?: string[] };
      const elsewhere = (built.registryDependencies ?? []).filter((name) => /[/:.]/.test(name) || ours.has(name));
      expect(elsewhere, `public/r/${item.name}.json`).toEqual([]);
    }
  });

  it("ships no two files of one name with different extensions (shadcn add rewrites an import to the namesake)", () => {
    // Seen: with lib/qr-login/client/authing/client.ts and lib/qr-login/client/i18n/client.tsx both added, every import of the
    // first was rewritten to the second. The items land in one app, so they are checked together.
    const shipped = committed.items.flatMap((item) => item.files.map((file) => file.path));
    const imported = new Set(
      shipped.filter((file) => /\.m?tsx?$/.test(file)).flatMap((file) => importsOf(root, file).flatMap((specifier) => resolveImport(root, file, specifier) ?? [])),
    );
    // What shadcn 4.23.1 got wrong: one name, two extensions (.ts, .tsx). Same-extension namesakes
    // (lib/qr-login/client/i18n/qr-login-messages.ts, lib/qr-login/client/i18n/messages.ts) were left alone.
    const stem = (file: string) => path.posix.basename(file, path.posix.extname(file));
    const clashes = [...imported].flatMap((file) => {
      const others = shipped.filter((other) => stem(other) === stem(file) && path.posix.extname(other) !== path.posix.extname(file));
      return others.length > 0 ? [`${file} ~ ${others.join(", ")}`] : [];
    });
    expect(clashes).toEqual([]);
  });

  it("names nothing in its files' comments that the host does not get: every repository path is in the item, and no npm script", () => {
    // A host has only what the item added: a pointer to the starter's docs, scripts or tests dangles.
    const folders = "lib|app|components|scripts|docs|test-support|registry|types|e2e|adoption|deploy|public";
    const repoPath = new RegExp(`(?<![\\w@/.-])((?:${folders})(?:/(?:\\([\\w-]+\\)|[\\w.\\-\\[\\]]+))+)`, "g");
    const hostScripts = new Set(["dev", "build", "start", "lint"]);
    for (const item of committed.items) {
      const paths = item.files.flatMap((file) => [file.path, file.target]);
      const inItem = (named: string) => paths.some((file) => file === named || file.startsWith(`${named.replace(/\/$/, "")}/`));
      const dangling: string[] = [];
      for (const file of item.files) {
        const comments = (readFileSync(path.join(root, file.path), "utf8").match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).join("\n");
        for (const [, named] of comments.matchAll(repoPath)) {
          const trimmed = named!.replace(/\.+$/, "");
          if (!inItem(trimmed)) dangling.push(`${file.path} → ${trimmed}`);
        }
        for (const [, script] of comments.matchAll(/npm run ([\w:-]+)/g)) if (!hostScripts.has(script!)) dangling.push(`${file.path} → npm run ${script}`);
      }
      expect(dangling, `${item.name}: comments naming what the host does not have`).toEqual([]);
    }
  });

  it("leaves telemetry, metrics, Redis and readable logs to the host: optional packages, by the variable that needs them, never dependencies", () => {
    for (const item of committed.items) {
      const packages = [...item.dependencies, ...item.devDependencies].map((spec) => spec.replace(/@[^@/]+$/, ""));
      for (const optional of ["prom-client", "@opentelemetry/api", "redis", "pino-pretty"]) expect(packages, item.name).not.toContain(optional);
      expect(Object.keys(item.meta?.optionalDependencies ?? {}).map((spec) => spec.replace(/@[^@/]+$/, "")).sort(), item.name).toEqual(["@opentelemetry/api", "pino-pretty", "prom-client", "redis"]);
      expect(Object.values(item.meta?.optionalDependencies ?? {}).join(" "), item.name).toMatch(/METRICS_TOKEN.*OTEL_EXPORTER_OTLP_ENDPOINT.*REDIS_URL.*LOG_FORMAT/);
      // Nothing an item ships names them (type-only imports included: a host without them type-checks),
      // nor any package of theirs (@redis/client): they are loaded at run time, past the bundler.
      const named = item.files
        .filter((file) => /\.m?tsx?$/.test(file.path))
        .flatMap((file) => importsOf(root, file.path).filter((specifier) => /^(prom-client|@opentelemetry\/|redis$|redis\/|@redis\/|pino-pretty)/.test(specifier)).map((specifier) => `${file.path} → ${specifier}`));
      expect(named, item.name).toEqual([]);
    }
  });

  it("ships no stylesheet and none of shadcn's primitives: it names them, for the host's own copies in its theme", () => {
    const client = itemNamed("qr-login")!;
    const provider = itemNamed("qr-login-provider")!;
    for (const item of committed.items) {
      const shipped = item.files.map((file) => file.path);
      expect(shipped.filter((file) => shadcnItemOf(file) || file.startsWith("components/ui/")), item.name).toEqual([]);
      expect(shipped.filter((file) => /\.(s?css|sass|less)$/.test(file)), item.name).toEqual([]);
      // Class names only: no file reads a stylesheet the item does not carry.
      const styleImports = shipped.filter((file) => /\.m?tsx?$/.test(file)).flatMap((file) => importsOf(root, file).filter((specifier) => /\.(s?css|sass|less)$/.test(specifier)));
      expect(styleImports, item.name).toEqual([]);
      // Bare names, looked up in the host's shadcn registry (ui.shadcn.com, or its components.json's).
      for (const name of item.registryDependencies) expect(name, item.name).toMatch(/^[a-z0-9-]+$/);
    }
    expect(client.registryDependencies).toEqual(["alert", "avatar", "button", "card", "utils"]);
    expect(provider.registryDependencies).toEqual(["alert", "avatar", "button", "card", "input", "label", "utils"]);
    for (const item of committed.items) {
      const built = JSON.parse(readFileSync(path.join(root, "public/r", `${item.name}.json`), "utf8")) as { registryDependencies?: string[] };
      expect(built.registryDependencies, `public/r/${item.name}.json`).toEqual(item.registryDependencies);
    }
  });

  it("tells shadcn's primitives apart from the starter's own files", () => {
    expect(shadcnItemOf("components/ui/button.tsx")).toBe("button");
    expect(shadcnItemOf("lib/utils.ts")).toBe("utils");
    for (const file of ["components/qr-login/qr-login.tsx", "lib/qr-login/utils.ts", "components/ui-kit/button.tsx"]) expect(shadcnItemOf(file), file).toBeUndefined();
  });

  it("ships no test files or test helpers", () => {
    const shipped = committed.items.flatMap((item) => item.files.map((file) => file.path));
    expect(shipped.filter(isTestFile)).toEqual([]);
  });

  it("tells test code apart from shipped code", () => {
    for (const file of ["lib/a.test.ts", "components/x/y.test.tsx", "test-support/test-browser.ts", "test-support/test-client.ts", "test-support/app-server.ts"]) {
      expect(isTestFile(file), file).toBe(true);
    }
    for (const file of ["lib/qr-login/provider/tokens.ts", "lib/qr-login/latest-test.ts", "app/(provider)/m/page.tsx"]) expect(isTestFile(file), file).toBe(false);
  });

  it("installs each package at a pinned major (or minor) with a permissive licence (ua-parser-js 1.x is MIT; 2.x is AGPL)", () => {
    for (const spec of committed.items.flatMap((item) => [...item.dependencies, ...item.devDependencies])) {
      // A tilde where a newer minor would not do: @simplewebauthn/server 14.1 needs Node 22.
      expect(spec, spec).toMatch(/^(@[^/]+\/)?[^@]+@[\^~]\d+\.\d+\.\d+$/);
      const name = spec.replace(/@[^@/]+$/, "");
      const license = JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).license as string;
      expect(license, `${name}'s licence`).toMatch(/^(MIT|ISC|Apache-2\.0|BSD-[23]-Clause|0BSD)$/);
    }
    const uaParser = committed.items.flatMap((item) => item.dependencies).find((spec) => spec.startsWith("ua-parser-js@"));
    if (uaParser) expect(uaParser).toMatch(/^ua-parser-js@\^1\./);
  });

  it("is built into public/r as it stands: each item's files as they are in the repository", () => {
    for (const item of committed.items) {
      const built = JSON.parse(readFileSync(path.join(root, "public/r", `${item.name}.json`), "utf8")) as {
        files: { path: string; target: string; content: string }[];
        dependencies?: string[];
        devDependencies?: string[];
        envVars?: Record<string, string>;
      };
      expect(built.files.map(({ path, target }) => ({ path, target }))).toEqual(item.files.map(({ path, target }) => ({ path, target })));
      for (const file of built.files) {
        expect(file.content, `public/r/${item.name}.json's copy of ${file.path} (run npm run registry:build)`).toBe(readFileSync(path.join(root, file.path), "utf8"));
      }
      expect({ dependencies: built.dependencies, devDependencies: built.devDependencies, envVars: built.envVars }).toEqual({
        dependencies: item.dependencies,
        devDependencies: item.devDependencies,
        envVars: item.envVars,
      });
    }
  });
});
