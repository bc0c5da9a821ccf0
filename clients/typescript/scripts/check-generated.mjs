// Fails when src/generated/openapi.ts is not what openapi-typescript makes of
// ../../openapi.yaml today: regenerates into a temporary file and compares.
// Fix a failure with `npm run generate` and commit the result.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const committed = join(root, "src/generated/openapi.ts");
const dir = mkdtempSync(join(tmpdir(), "user-invites-types-"));
const fresh = join(dir, "openapi.ts");
try {
  const bin = join(root, "node_modules/openapi-typescript/bin/cli.js");
  const run = spawnSync(process.execPath, [bin, "../../openapi.yaml", "--output", fresh], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`openapi-typescript failed (exit ${run.status})`);
  }
  const want = readFileSync(fresh, "utf8").split("\n");
  const have = readFileSync(committed, "utf8").split("\n");
  const first = want.findIndex((line, i) => line !== have[i]);
  if (first !== -1 || want.length !== have.length) {
    const at = first === -1 ? Math.min(want.length, have.length) : first;
    console.error(`src/generated/openapi.ts is stale: it differs from openapi.yaml from line ${at + 1}:`);
    console.error(`  committed: ${JSON.stringify(have[at] ?? "<end of file>")}`);
    console.error(`  generated: ${JSON.stringify(want[at] ?? "<end of file>")}`);
    console.error("Run `npm run generate` in clients/typescript and commit the result.");
    process.exitCode = 1;
  } else {
    console.log("src/generated/openapi.ts is up to date with openapi.yaml");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
