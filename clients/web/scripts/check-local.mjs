// Fails when the pages committed under local/web/ (embedded in invites-local) are not
// what the sources build to: it builds them into a temporary folder and compares each
// file byte for byte. Fix with `npm run build:local` and commit local/web/.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { buildPages, PAGE_FILES } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const committed = resolve(root, "../../local/web");

function filesUnder(base, dir = base) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(base, path));
    else out.push(relative(base, path).split("\\").join("/"));
  }
  return out.sort();
}

const fresh = mkdtempSync(join(tmpdir(), "invites-web-pages-"));
try {
  await buildPages(fresh);
  const built = filesUnder(fresh);
  if (JSON.stringify(built) !== JSON.stringify([...PAGE_FILES].sort())) {
    throw new Error(`the build made ${built.join(", ")}; scripts/build.mjs lists ${PAGE_FILES.join(", ")}`);
  }
  const drift = [];
  const have = existsSync(committed) ? filesUnder(committed) : [];
  for (const file of new Set([...built, ...have])) {
    const a = join(fresh, file);
    const b = join(committed, file);
    if (!existsSync(a)) drift.push(`${file}: committed, but the build no longer makes it`);
    else if (!existsSync(b)) drift.push(`${file}: built, but not committed`);
    else if (!readFileSync(a).equals(readFileSync(b))) drift.push(`${file}: differs from a fresh build`);
  }
  if (drift.length > 0) {
    console.error(`local/web/ has drifted from clients/web's sources:\n  ${drift.join("\n  ")}`);
    console.error("Rebuild with `npm run build:local` (in clients/web) and commit local/web/.");
    process.exit(1);
  }
  console.log(`local/web/ matches a fresh build of clients/web (${built.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
