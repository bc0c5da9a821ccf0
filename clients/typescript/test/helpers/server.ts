// A real invites-local for each test file: a free port, a fresh data folder, a known
// secret, and the outbox read as a user reads mail.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** clients/typescript, from .build/test/helpers/. */
export const PACKAGE_DIR = fileURLToPath(new URL("../../../", import.meta.url));
const REPO_DIR = join(PACKAGE_DIR, "../..");
export const ACCEPT_URL = "https://app.example.com/accept-invite?token={token}";

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
  /** The HS256 secret the server verifies with (48 bytes of hex). */
  secret: string;
  /** The accept token of the newest email about this invite, waiting for its delivery. */
  acceptToken(inviteId: string, options?: { after?: string }): Promise<string>;
  /** `invites-local outbox --last-token` with this server's data folder. */
  lastTokenFromCli(): string;
  /** The .eml files of the outbox, oldest first. */
  outbox(): string[];
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<LocalServer> {
  const bin = localBinary();
  const dataDir = mkdtempSync(join(tmpdir(), "invites-ts-"));
  const secret = randomBytes(48).toString("hex");
  const child = spawn(bin, [], {
    env: {
      ...process.env,
      INVITES_LISTEN: "127.0.0.1:0",
      INVITES_DATA_DIR: dataDir,
      INVITES_JWT_SECRET: secret,
      INVITES_ACCEPT_URL: ACCEPT_URL,
      RUST_LOG: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const baseUrl = await listeningOn(child);
  const outboxDir = join(dataDir, "outbox");
  const outbox = () =>
    existsSync(outboxDir)
      ? readdirSync(outboxDir)
          .filter((f) => f.endsWith(".eml"))
          .sort()
      : [];
  return {
    baseUrl,
    dataDir,
    secret,
    outbox,
    async acceptToken(inviteId, options = {}) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const files = outbox().filter((f) => f.includes(`-${inviteId}-`) && (!options.after || f > options.after));
        const newest = files.at(-1);
        if (newest) return tokenOf(readFileSync(join(outboxDir, newest), "utf8"));
        if (Date.now() > deadline) throw new Error(`no email for invite ${inviteId} in ${outboxDir}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    lastTokenFromCli() {
      const run = spawnSync(bin, ["outbox", "--last-token"], {
        env: { ...process.env, INVITES_DATA_DIR: dataDir },
        encoding: "utf8",
      });
      if (run.status !== 0) throw new Error(`invites-local outbox --last-token: ${run.stderr}`);
      return decodeURIComponent(run.stdout.trim());
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function listeningOn(child: ChildProcess): Promise<string> {
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
      const match = /User Invites API listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => fail(new Error(`invites-local exited with ${code}\n${out}${err}`)));
  });
}

/** The accept token in an email's text part, decoded from its transfer encoding. */
export function tokenOf(eml: string): string {
  const text = textParts(eml).join("\n");
  const match = /accept-invite\?token=([A-Za-z0-9_%.~-]+)/.exec(text);
  if (!match) throw new Error(`no accept link in email:\n${eml}`);
  return decodeURIComponent(match[1]!);
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

export const uuid = (): string => randomUUID();

/** A unique address, so tests never collide on the one-pending-invite rule. */
export const email = (name = "person"): string => `${name}.${randomBytes(4).toString("hex")}@example.com`;

/** Calls `read` until `done` holds of its answer (or 5 s pass), and returns that answer. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}
