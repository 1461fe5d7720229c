// A loopback fake of Slack's Web API: what Slack's servers answer a bot, on 127.0.0.1. The bot's WebClient is pointed
// here with SLACK_API_URL (clientOptions.slackApiUrl), so every call it makes is recorded and answered the way Slack
// documents it: `{ ok: true, ... }` or `{ ok: false, error }` with HTTP 200, and HTTP 429 with Retry-After when limited.
// The WebClient posts application/x-www-form-urlencoded with objects (blocks, view) as JSON strings.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Json = Record<string, any>;

export interface SlackCall {
  method: string;
  args: Json;
  token: string | undefined;
  /** What the fake answered. */
  result?: Json;
}

export interface SlackMember {
  id: string;
  teamId: string;
  email: string;
  name: string;
}

export interface SlackFailure {
  method: string;
  /** A platform error (HTTP 200, ok false) or an HTTP status (429 with Retry-After, 500). */
  error?: string;
  status?: number;
  retryAfterSeconds?: number;
}

export interface LoopbackSlack {
  /** The Web API base URL, ending in "/api/". */
  url: string;
  calls: SlackCall[];
  uploads: { fileId: string; bytes: Buffer }[];
  addMember(member: SlackMember): void;
  /** The next call of `method` fails this way. */
  failNext(failure: SlackFailure): void;
  /** The next call of `method` is taken and never answered (until close), as a stuck Slack would. */
  hangNext(method: string): void;
  callsOf(method: string): SlackCall[];
  /** Resolves when `count` calls of `method` have been recorded. */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<SlackCall[]>;
  close(): Promise<void>;
}

export async function startLoopbackSlack(): Promise<LoopbackSlack> {
  const members = new Map<string, SlackMember>();
  const calls: SlackCall[] = [];
  const uploads: { fileId: string; bytes: Buffer }[] = [];
  const failures: SlackFailure[] = [];
  const hangs: string[] = [];
  let clock = 1_767_000_000;
  let sequence = 0;
  const nextTs = () => `${clock++}.${String(++sequence).padStart(6, "0")}`;
  let base = "";

  const answer = (method: string, args: Json): Json => {
    switch (method) {
      case "users.info": {
        const m = members.get(String(args.user));
        return m ? { ok: true, user: { id: m.id, team_id: m.teamId, name: m.name, is_bot: false, profile: { email: m.email, real_name: m.name } } } : { ok: false, error: "user_not_found" };
      }
      case "users.lookupByEmail": {
        const m = [...members.values()].find((x) => x.email.toLowerCase() === String(args.email).toLowerCase());
        return m ? { ok: true, user: { id: m.id, team_id: m.teamId, name: m.name, is_bot: false, profile: { email: m.email } } } : { ok: false, error: "users_not_found" };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case "chat.postMessage":
        return { ok: true, channel: args.channel, ts: nextTs(), message: { text: args.text } };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case "views.open":
      case "views.push":
        return { ok: true, view: { id: `V${++sequence}`, ...(args.view as Json) } };
      case "views.update":
        return { ok: true, view: { id: args.view_id, ...(args.view as Json) } };
      case "files.getUploadURLExternal": {
        const fileId = `F${++sequence}`;
        return { ok: true, upload_url: `${base}upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal":
        return { ok: true, files: ((JSON.parse(String(args.files ?? "[]")) as Json[]) ?? []).map((f) => ({ id: f.id, title: f.title })) };
      case "auth.test":
        return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };
      default:
        return { ok: false, error: "unknown_method" };
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path.startsWith("/api/upload/")) {
      uploads.push({ fileId: path.slice("/api/upload/".length), bytes: fileOf(raw, String(req.headers["content-type"] ?? "")) });
      res.writeHead(200, { "content-type": "text/plain" }).end("OK");
      return;
    }
    const method = path.replace(/^\/api\//, "");
    const args = parseArgs(raw.toString("utf8"), String(req.headers["content-type"] ?? ""));
    const auth = String(req.headers.authorization ?? "");
    const call: SlackCall = { method, args, token: auth.startsWith("Bearer ") ? auth.slice(7) : (args.token as string | undefined) };
    calls.push(call);
    const hangAt = hangs.indexOf(method);
    if (hangAt >= 0) {
      hangs.splice(hangAt, 1);
      return;
    }
    const failureAt = failures.findIndex((f) => f.method === method);
    if (failureAt >= 0) {
      const [failure] = failures.splice(failureAt, 1);
      if (failure!.status) {
        res.writeHead(failure!.status, { "content-type": "application/json", ...(failure!.retryAfterSeconds !== undefined ? { "retry-after": String(failure!.retryAfterSeconds) } : {}) });
        res.end(JSON.stringify({ ok: false, error: failure!.status === 429 ? "ratelimited" : "internal_error" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: failure!.error }));
      return;
    }
    call.result = answer(method, args);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(call.result));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  const callsOf = (method: string) => calls.filter((c) => c.method === method);
  return {
    url: base,
    calls,
    uploads,
    addMember: (m) => members.set(m.id, m),
    failNext: (f) => failures.push(f),
    hangNext: (method) => hangs.push(method),
    callsOf,
    async waitFor(method, count = 1, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (callsOf(method).length < count) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${count} ${method} call(s); saw ${callsOf(method).length}: ${calls.map((c) => c.method).join(", ")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return callsOf(method);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Form fields, with the ones that hold JSON (blocks, view, attachments) parsed; JSON bodies as they are. */
function parseArgs(body: string, contentType: string): Json {
  if (contentType.includes("application/json")) return body ? (JSON.parse(body) as Json) : {};
  const out: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    out[key] = ["blocks", "view", "attachments", "metadata"].includes(key) ? JSON.parse(value) : value;
  }
  return out;
}

/** The file in an upload: the WebClient sends it as the one part of a multipart/form-data body. */
function fileOf(raw: Buffer, contentType: string): Buffer {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!contentType.startsWith("multipart/form-data") || !boundary) return raw;
  const start = raw.indexOf("\r\n\r\n") + 4;
  const end = raw.indexOf(`\r\n--${boundary.replace(/"/g, "")}`, start);
  return raw.subarray(start, end);
}
