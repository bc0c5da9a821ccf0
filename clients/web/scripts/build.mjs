// Builds the package and, with --pages DIR, the pages invites-local serves.
//
//   node scripts/build.mjs                 dist/: the components as ES modules with
//                                          declarations (lit and @user-invites/client
//                                          stay imports, for the app's bundler)
//   node scripts/build.mjs --pages DIR     DIR/index.html, DIR/accept-invite.html and
//                                          DIR/assets/*: each page's script bundled
//                                          whole (lit and the client inside), minified
//
// The pages' output depends only on the sources and the locked tool versions, so a
// rebuild of unchanged sources gives the same bytes: scripts/check-local.mjs relies on it.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The files of a page build, relative to its folder. */
export const PAGE_FILES = [
  "index.html",
  "accept-invite.html",
  "assets/console.js",
  "assets/accept-invite.js",
  "assets/page.css",
  "assets/favicon.svg",
];

export async function buildPages(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "assets"), { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { console: "pages/console.ts", "accept-invite": "pages/accept-invite.ts" },
    outdir: join(outDir, "assets"),
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    minify: true,
    // Lit's and the client's license notices stay, at the end of each bundle.
    legalComments: "eof",
    charset: "utf8",
    tsconfig: join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  copyFileSync(join(root, "pages/index.html"), join(outDir, "index.html"));
  copyFileSync(join(root, "pages/accept-invite.html"), join(outDir, "accept-invite.html"));
  copyFileSync(join(root, "pages/page.css"), join(outDir, "assets/page.css"));
  copyFileSync(join(root, "pages/favicon.svg"), join(outDir, "assets/favicon.svg"));
}

function buildPackage() {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--pages");
  if (at >= 0) {
    const outDir = process.argv[at + 1];
    if (!outDir) throw new Error("--pages needs a folder");
    await buildPages(resolve(outDir));
    console.log(`pages built into ${resolve(outDir)}`);
  } else {
    buildPackage();
    console.log("dist/ built");
  }
}
