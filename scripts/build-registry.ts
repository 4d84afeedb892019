// Writes registry.json from the items' entry points (registry/items.ts), then has the pinned
// shadcn CLI build it into public/r/ (REGISTRY_OUTPUT builds elsewhere). The built items name no
// origin: served from anywhere, they install as they are.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { buildRegistryManifest } from "../registry/registry-manifest";

const SHADCN = "shadcn@4.23.1";

const root = path.resolve(__dirname, "..");
const output = process.env.REGISTRY_OUTPUT || "public/r";
const manifestFile = process.env.REGISTRY_OUTPUT ? path.join(output, "..", "registry.json") : "registry.json";

const manifest = buildRegistryManifest(root);
writeFileSync(path.resolve(root, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
for (const item of manifest.items) console.log(`${item.name}: ${item.files.length} files, ${item.dependencies.join(" ")}`);

const built = spawnSync("npx", ["-y", SHADCN, "build", manifestFile, "--output", output], { cwd: root, stdio: "inherit" });
process.exit(built.status ?? 1);
