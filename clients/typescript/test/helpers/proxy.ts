// A small HTTP proxy in front of invites-local that injects faults: the only place
// the tests fake anything. Each request is recorded, then handled as `decide` says.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  /** Pass the request on and its answer back. */
  | { kind: "forward" }
  /** Pass it on, let the server answer (and commit), then cut the connection: the reply is lost. */
  | { kind: "drop-reply" }
  /** Cut the connection without passing the request on. */
  | { kind: "reset" }
  /** Answer this instead of the server. */
  | { kind: "answer"; status: number; body: unknown; headers?: Record<string, string>; contentType?: string }
  /** Never answer (until the client gives up or the proxy closes). */
  | { kind: "hang" };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  fault: Fault["kind"];
}

export interface FaultProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startProxy(
  target: string,
  decide: (index: number, request: RecordedRequest) => Fault = () => ({ kind: "forward" }),
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: body.toString("utf8"),
      fault: "forward",
    };
    const fault = decide(requests.length, recorded);
    recorded.fault = fault.kind;
    requests.push(recorded);
    switch (fault.kind) {
      case "hang":
        return;
      case "reset":
        req.socket.destroy();
        return;
      case "answer": {
        const json = typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body);
        res.writeHead(fault.status, {
          "content-type": fault.contentType ?? "application/problem+json",
          ...fault.headers,
        });
        res.end(json);
        return;
      }
      case "forward":
      case "drop-reply": {
        const answer = await forward(upstream, req, body);
        if (fault.kind === "drop-reply") {
          // The server has answered, so it has committed; the client never hears of it.
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(
  upstream: URL,
  req: http.IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: upstream.host };
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => {
          const { connection: _c, "keep-alive": _k, "transfer-encoding": _t, ...rest } = answer.headers;
          resolve({ status: answer.statusCode ?? 502, headers: rest, body: Buffer.concat(chunks) });
        });
        answer.on("error", reject);
      },
    );
    out.on("error", reject);
    out.end(body);
  });
}

/** A problem+json body as the API writes it. */
export function problem(status: number, code: string, detail = "injected by the test proxy") {
  return {
    type: `urn:user-invites:problem:${code.toLowerCase().replace(/_/g, "-")}`,
    title: "Injected",
    status,
    detail,
    code,
    errors: [],
  };
}
