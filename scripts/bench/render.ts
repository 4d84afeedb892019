/** Re-renders docs/bench/results.md and notice-latency.svg from results.json: `tsx scripts/bench/render.ts [dir]`. */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { projectRoot } from "../../test-support/app-server";
import { markdown, svgChart, type Results } from "./report";

const dir = path.resolve(projectRoot, process.argv[2] ?? "docs/bench");
// JSON turns NaN into null; the tables print "–" for both.
const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"), (_key, value) => (value === null ? Number.NaN : value)) as Results;
writeFileSync(path.join(dir, "results.md"), markdown(results));
writeFileSync(path.join(dir, "notice-latency.svg"), svgChart(results));
console.log(markdown(results));
