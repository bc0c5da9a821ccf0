// A real invites-local for each test file: a free port, a fresh data folder, the
// development secret (so the console pre-fills its token and mints sign-ins), and the
// accept links in its emails pointing back at itself, as they do on port 3000.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** clients/web, from .build/test/helpers/. */
export const PACKAGE_DIR = fileURLToPath(new URL("../../../", import.meta.url));
export const REPO_DIR = join(PACKAGE_DIR, "../..");

/** The development secret of invites-local (shared/src/config.rs): public by design. */
export const DEVELOPMENT_SECRET = "invites-local-development-secret-do-not-use-in-production";

export function localBinary(): string {
  const bin = process.env.INVITES_LOCAL_BIN || join(REPO_DIR, "target/debug/invites-local");
  if (!existsSync(bin)) {
    throw new Error(`invites-local not found at ${bin}: run \`cargo build -p invites-local\` or set INVITES_LOCAL_BIN`);
  }
  return bin;
}

export interface LocalServer {
  baseUrl: string;
  dataDir: string;
  outboxDir: string;
  /** The accept link of the newest email to `email`, waiting for its delivery. */
  linkTo(email: string, options?: { after?: string }): Promise<string>;
  /** The .eml files of the outbox, oldest first. */
  outbox(): string[];
  /** A development token minted by the server itself (`POST /dev/token`). */
  devToken(as: "admin" | "super-admin" | "new-user"): Promise<{ token: string; sub: string; tenantId: string | null }>;
  /** Stops the server and starts it again on the same data folder and port, with `env` added. */
  restart(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startServer(env: Record<string, string> = {}): Promise<LocalServer> {
  const bin = localBinary();
  const dataDir = mkdtempSync(join(tmpdir(), "invites-web-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const outboxDir = join(dataDir, "outbox");
  const launch = async (extra: Record<string, string>): Promise<ChildProcess> => {
    const inherited = { ...process.env };
    // The development secret is what the console's sign-ins need: no other key.
    for (const name of ["INVITES_JWT_SECRET", "INVITES_JWT_PUBLIC_KEY", "INVITES_TABLE_NAME", "INVITES_SENDER_EMAIL"]) {
      delete inherited[name];
    }
    const child = spawn(bin, [], {
      env: {
        ...inherited,
        INVITES_LISTEN: `127.0.0.1:${port}`,
        INVITES_DATA_DIR: dataDir,
        INVITES_ACCEPT_URL: `${baseUrl}/accept-invite?token={token}`,
        RUST_LOG: "warn",
        ...env,
        ...extra,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await listening(child);
    return child;
  };
  let child = await launch({});
  const outbox = () =>
    existsSync(outboxDir)
      ? readdirSync(outboxDir)
          .filter((f) => f.endsWith(".eml"))
          .sort()
      : [];
  const stopChild = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  };
  return {
    baseUrl,
    dataDir,
    outboxDir,
    outbox,
    async linkTo(email, options = {}) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        for (const file of outbox().reverse()) {
          if (options.after && file <= options.after) continue;
          const eml = readFileSync(join(outboxDir, file), "utf8");
          if (recipientOf(eml).toLowerCase() === email.toLowerCase()) return linkOf(eml);
        }
        if (Date.now() > deadline) throw new Error(`no email to ${email} in ${outboxDir}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async devToken(as) {
      const response = await fetch(`${baseUrl}/dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ as }),
      });
      if (!response.ok) throw new Error(`POST /dev/token: ${response.status} ${await response.text()}`);
      return (await response.json()) as { token: string; sub: string; tenantId: string | null };
    },
    async restart(extra = {}) {
      await stopChild();
      child = await launch(extra);
    },
    async stop() {
      await stopChild();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => fail(new Error(`invites-local did not start in 30 s\n${out}${err}`)), 30_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(e);
    };
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (/User Invites API listening on http:\/\/\S+/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => fail(new Error(`invites-local exited with ${code}\n${out}${err}`)));
  });
}

function recipientOf(eml: string): string {
  const head = eml.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const to = /^To:\s*(.*)$/im.exec(head)?.[1] ?? "";
  return (/<([^>]+)>/.exec(to)?.[1] ?? to).trim();
}

/** The accept link in an email's text part, decoded from its transfer encoding. */
export function linkOf(eml: string): string {
  const text = textParts(eml).join("\n");
  const match = /(https?:\/\/\S+\/accept-invite\?token=[A-Za-z0-9_%.~-]+)/.exec(text);
  if (!match) throw new Error(`no accept link in email:\n${eml}`);
  return match[1]!;
}

function textParts(eml: string): string[] {
  const parts = eml.split(/\r?\n--[^\r\n]+\r?\n/);
  const texts: string[] = [];
  for (const part of parts) {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    if (!head || !/content-type:\s*text\/plain/i.test(head)) continue;
    const body = rest.join("\n\n");
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    if (encoding === "base64") texts.push(Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8"));
    else if (encoding === "quoted-printable") texts.push(decodeQuotedPrintable(body));
    else texts.push(body);
  }
  return texts;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}
