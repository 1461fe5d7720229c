// A loopback fake of the Bot Framework Connector service: what Teams' servers do for a bot, on 127.0.0.1.
// The bot (botbuilder's real CloudAdapter, authentication off) receives activities whose `serviceUrl` is `url`,
// and its replies, proactive messages, card updates and member look-ups come back here. Same idea as the Emulator.
//
// What probing botbuilder 4.23.3 against this fake showed (test/contract/loopback-connector.test.ts proves each):
// - Auth off: `new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}))`. No MicrosoftAppId means
//   authentication disabled: inbound requests need no Authorization header, outbound calls carry none, and any
//   http:// serviceUrl is called (no trust list). No ConfigurationServiceClientCredentialFactory is needed.
// - Proactive: `adapter.continueConversationAsync("", reference, logic)`: appId "" with auth off.
//   The continuation activity gets a random uuid as its id, so a proactive `sendActivity` travels as a REPLY:
//   POST /v3/conversations/{id}/activities/{that uuid}. Teams (and this fake) accept a reply to an unknown id.
// - A normal reply within a turn goes to POST .../activities/{inbound activity id}.
// - Invokes: the HTTP response to POST /api/messages is the invoke response, sent only when the whole turn ends:
//   status = invokeResponse.value.status, JSON body = invokeResponse.value.body. No invokeResponse: 501, empty body.
// - Errors: a non-2xx answer throws a RestError (@azure/core-rest-pipeline) with `statusCode`, `code` (= body
//   error.code), `details` (= parsed body) and `response.headers.get("retry-after")`; `response` is not enumerable.
// - The connector client RETRIES BY ITSELF (core-rest-pipeline defaultRetryPolicy, 3 retries = 4 attempts):
//   429/503 wait Retry-After; other 5xx and 408 (and ECONNRESET/ECONNREFUSED/ETIMEDOUT...) back off exponentially
//   from 1 s with jitter (observed ~1 s, 1.3 s, 3.1 s). The botbuilder options cannot turn it off; removing the
//   policy named "defaultRetryPolicy" from the client's pipeline does (see the contract test).
// - There is NO request timeout: a connector that never answers blocks sendActivity (and the turn) forever.
//   Calling the connector client directly with `{ abortSignal }` or `{ timeout }` gives an AbortError, not retried.
// - URLs: ids are percent-encoded in the path (a:1x -> a%3A1x); the fake's url carries a "/amer/" path like
//   Teams' regional service urls, so code that joins serviceUrl with a path gets exercised.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An activity as it travels on the wire: the fake records what the bot sent, it does not validate it. */
export interface WireActivity {
  type?: string;
  id?: string;
  text?: string;
  replyToId?: string;
  from?: { id?: string; name?: string; aadObjectId?: string };
  recipient?: { id?: string; name?: string; aadObjectId?: string };
  conversation?: { id?: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  attachments?: { contentType?: string; content?: unknown }[];
  channelData?: { tenant?: { id?: string } } & Record<string, unknown>;
  value?: unknown;
  [key: string]: unknown;
}

/** A message the bot sent (to a conversation, or as a reply), with the id the fake gave it. */
export interface RecordedActivity {
  id: string;
  conversationId: string;
  recipientId: string | undefined;
  /** The activity id in the URL when it was posted as a reply (proactive sends are replies to a random uuid). */
  replyToId: string | undefined;
  tenantId: string | undefined;
  activity: WireActivity;
  at: number;
}

export interface RecordedUpdate {
  conversationId: string;
  activityId: string;
  activity: WireActivity;
  at: number;
}

export interface RecordedDelete {
  conversationId: string;
  activityId: string;
  at: number;
}

export interface CreatedConversation {
  id: string;
  memberId: string | undefined;
  tenantId: string | undefined;
  parameters: Record<string, unknown>;
  at: number;
}

/** Every request the fake saw, in order: counts the connector client's own retries. */
export interface RecordedRequest {
  method: string;
  /** The path from "/v3/" on, decoded. */
  path: string;
  status: number | "hung";
  at: number;
}

/** The Teams member JSON that GET .../members/{id} answers. */
export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
  givenName?: string;
  surname?: string;
  userRole?: "user" | "guest" | "anonymous";
}

export interface InjectedFailure {
  status: number;
  /** Sets the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Defaults to a Bot Framework ErrorResponse: { error: { code, message } }. */
  body?: unknown;
}

export interface LoopbackConnectorOptions {
  /** Teams allows 7 per second per conversation; beyond this the fake answers 429 with Retry-After. */
  perConversationPerSecond?: number;
  /** Teams allows 50 per second per tenant (all conversations of the bot in the tenant). */
  perTenantPerSecond?: number;
  /** Retry-After on simulated rate limits; default 1. */
  rateLimitRetryAfterSeconds?: number;
  /** Tenant given to members added without one. */
  tenantId?: string;
  /**
   * A slow Teams: each activity send or update is held this long before it is handled (recorded and answered).
   * A held request is handled even if the bot went away meanwhile, as Teams would: the caller cannot know.
   */
  delayMs?: number;
}

export interface LoopbackConnector {
  /** The serviceUrl to put on inbound activities, with a trailing slash like Teams': http://127.0.0.1:PORT/amer/ */
  url: string;
  sent: RecordedActivity[];
  updates: RecordedUpdate[];
  deletes: RecordedDelete[];
  conversations: CreatedConversation[];
  requests: RecordedRequest[];
  members: Map<string, TeamsMember>;
  /** Adds a member every conversation knows; looked up by id (29:...) or aadObjectId, like Teams. */
  addMember(member: Pick<TeamsMember, "id" | "email"> & Partial<TeamsMember>): TeamsMember;
  /** The next n activity sends/replies/updates answer this failure (one per HTTP attempt, retries included). */
  failNext(n: number, failure: InjectedFailure): void;
  /** The next n activity sends/replies/updates are accepted and never answered until close. `deliver` records them as sent. */
  hangNext(n: number, options?: { deliver?: boolean }): void;
  /** Sends and updates to this conversation answer 403 BotNotInConversationRoster, as after the user uninstalls the app. */
  blockConversation(conversationId: string): void;
  /** Resolves with everything sent once predicate(sent) holds; polls every 20 ms. */
  waitFor(predicate: (sent: readonly RecordedActivity[]) => boolean, timeoutMs?: number): Promise<RecordedActivity[]>;
  /** Resolves with the sent activities that match once there are at least `count` of them. */
  waitForActivities(match: (sent: RecordedActivity) => boolean, options?: { count?: number; timeoutMs?: number }): Promise<RecordedActivity[]>;
  /** Resolves with the updates that match once there are at least `count` of them. */
  waitForUpdates(match: (update: RecordedUpdate) => boolean, options?: { count?: number; timeoutMs?: number }): Promise<RecordedUpdate[]>;
  /** Forgets what was recorded, the injected faults and blocks; members stay. */
  clear(): void;
  /** Closes the server, dropping hung requests. */
  close(): Promise<void>;
}

type Fault = { kind: "fail"; failure: InjectedFailure } | { kind: "hang"; deliver: boolean };

const POLL_MS = 20;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_TENANT = "00000000-0000-4000-8000-00000000cafe";

export async function startLoopbackConnector(options: LoopbackConnectorOptions = {}): Promise<LoopbackConnector> {
  const sent: RecordedActivity[] = [];
  const updates: RecordedUpdate[] = [];
  const deletes: RecordedDelete[] = [];
  const conversations: CreatedConversation[] = [];
  const requests: RecordedRequest[] = [];
  const members = new Map<string, TeamsMember>();
  const faults: Fault[] = [];
  const blocked = new Set<string>();
  const windows = new Map<string, number[]>();
  const conversationTenants = new Map<string, string>();
  const oneToOne = new Map<string, string>();
  let nextId = Date.now();

  const findMember = (idOrAad: string): TeamsMember | undefined =>
    members.get(idOrAad) ?? [...members.values()].find((m) => m.aadObjectId === idOrAad);

  /** Sliding one-second window: true when this call is over the limit (rejected calls are not counted). */
  const overLimit = (key: string, limit: number | undefined, now: number): boolean => {
    if (limit === undefined) return false;
    const recent = (windows.get(key) ?? []).filter((t) => now - t < 1_000);
    windows.set(key, recent);
    return recent.length >= limit;
  };

  const tenantOf = (conversationId: string, activity: WireActivity | undefined): string =>
    activity?.conversation?.tenantId ?? activity?.channelData?.tenant?.id ?? conversationTenants.get(conversationId) ?? "unknown-tenant";

  const server = createServer((req, res) => {
    readJson(req).then(
      (body) => {
        const write = (req.method === "POST" || req.method === "PUT") && /\/activities(\/|$)/.test(req.url ?? "");
        if (write && options.delayMs) setTimeout(() => handle(req, res, body), options.delayMs);
        else handle(req, res, body);
      },
      () => answer(res, 400, errorBody("BadSyntax", "Request body is not JSON")),
    );
  });

  function record(req: IncomingMessage, path: string, status: number | "hung"): void {
    requests.push({ method: req.method ?? "?", path, status, at: Date.now() });
  }

  function reply(req: IncomingMessage, res: ServerResponse, path: string, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    record(req, path, status);
    answer(res, status, body, headers);
  }

  /** Faults, blocks and rate limits for an activity write; true when the request has been answered. */
  function intercepted(req: IncomingMessage, res: ServerResponse, path: string, conversationId: string, activity: WireActivity | undefined, deliver: () => void): boolean {
    const fault = faults.shift();
    if (fault?.kind === "hang") {
      if (fault.deliver) deliver();
      record(req, path, "hung");
      return true; // never answered: close() drops the socket
    }
    if (fault?.kind === "fail") {
      const { status, retryAfterSeconds, body } = fault.failure;
      const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
      reply(req, res, path, status, body ?? errorBody(status === 429 ? "Throttled" : "ServiceError", `Injected failure ${status}`), headers);
      return true;
    }
    if (blocked.has(conversationId)) {
      reply(req, res, path, 403, errorBody("BotNotInConversationRoster", "The bot is not part of the conversation roster."));
      return true;
    }
    const now = Date.now();
    const tenantKey = `tenant|${tenantOf(conversationId, activity)}`;
    const conversationKey = `conversation|${conversationId}`;
    if (overLimit(conversationKey, options.perConversationPerSecond, now) || overLimit(tenantKey, options.perTenantPerSecond, now)) {
      const retryAfter = String(options.rateLimitRetryAfterSeconds ?? 1);
      reply(req, res, path, 429, errorBody("Throttled", "Too many requests"), { "Retry-After": retryAfter });
      return true;
    }
    windows.get(conversationKey)?.push(now);
    windows.get(tenantKey)?.push(now);
    return false;
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const at = pathname.indexOf("/v3/");
    const segments = at < 0 ? [] : pathname.slice(at + 4).split("/").map((s) => decodeURIComponent(s));
    const path = `/v3/${segments.join("/")}`;
    const method = req.method ?? "GET";
    const [root, conversationId, collection, itemId, ...rest] = segments;
    const activity = isObject(body) ? (body as WireActivity) : undefined;

    if (root !== "conversations" || rest.length > 0) {
      return reply(req, res, path, 404, errorBody("NotFound", `No such route on the loopback connector: ${method} ${pathname}`));
    }

    if (conversationId === undefined && method === "POST") {
      const parameters = isObject(body) ? body : {};
      const memberId = firstMemberId(parameters);
      const tenantId = tenantOfParameters(parameters);
      const member = memberId === undefined ? undefined : findMember(memberId);
      const key = `${tenantId ?? ""}|${member?.id ?? memberId ?? randomUUID()}`;
      const id = oneToOne.get(key) ?? `a:1${randomBytes(30).toString("base64url")}`;
      oneToOne.set(key, id);
      if (tenantId !== undefined) conversationTenants.set(id, tenantId);
      conversations.push({ id, memberId, tenantId, parameters, at: Date.now() });
      return reply(req, res, path, 201, { id });
    }

    if (conversationId !== undefined && collection === "activities" && method === "POST") {
      if (activity === undefined) return reply(req, res, path, 400, errorBody("BadArgument", "Missing activity"));
      const id = String(++nextId);
      const deliver = () => {
        sent.push({ id, conversationId, recipientId: activity.recipient?.id, replyToId: itemId, tenantId: tenantOf(conversationId, activity), activity, at: Date.now() });
      };
      if (intercepted(req, res, path, conversationId, activity, deliver)) return;
      deliver();
      return reply(req, res, path, 201, { id });
    }

    if (conversationId !== undefined && collection === "activities" && itemId !== undefined && method === "PUT") {
      if (activity === undefined) return reply(req, res, path, 400, errorBody("BadArgument", "Missing activity"));
      const deliver = () => {
        updates.push({ conversationId, activityId: itemId, activity, at: Date.now() });
      };
      if (intercepted(req, res, path, conversationId, activity, deliver)) return;
      deliver();
      return reply(req, res, path, 200, { id: itemId });
    }

    if (conversationId !== undefined && collection === "activities" && itemId !== undefined && method === "DELETE") {
      deletes.push({ conversationId, activityId: itemId, at: Date.now() });
      return reply(req, res, path, 200);
    }

    if (conversationId !== undefined && collection === "members" && method === "GET") {
      if (itemId === undefined) return reply(req, res, path, 200, [...members.values()]);
      const member = findMember(itemId);
      return member
        ? reply(req, res, path, 200, member)
        : reply(req, res, path, 404, errorBody("MemberNotFoundInConversation", "The member is not part of the conversation."));
    }

    if (conversationId !== undefined && collection === "pagedmembers" && itemId === undefined && method === "GET") {
      return reply(req, res, path, 200, { members: [...members.values()] });
    }

    return reply(req, res, path, 404, errorBody("NotFound", `No such route on the loopback connector: ${method} ${pathname}`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  async function poll<T>(ready: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (Date.now() >= deadline) throw new Error(`Loopback connector: timed out after ${timeoutMs} ms waiting for ${what}.\n${describeTraffic()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  function describeTraffic(): string {
    const lines = [`${sent.length} activities sent:`, ...sent.map((r) => `  ${describeSent(r)}`)];
    if (updates.length > 0) lines.push(`${updates.length} updates:`, ...updates.map((u) => `  ${u.conversationId}/${u.activityId}: ${describeActivity(u.activity)}`));
    const failed = requests.filter((r) => r.status === "hung" || r.status >= 400);
    if (failed.length > 0) lines.push(`${failed.length} requests failed or hung:`, ...failed.map((r) => `  ${r.method} ${r.path} -> ${r.status}`));
    return lines.join("\n");
  }

  return {
    url: `http://127.0.0.1:${port}/amer/`,
    sent,
    updates,
    deletes,
    conversations,
    requests,
    members,
    addMember(partial) {
      const member: TeamsMember = {
        name: partial.email.split("@")[0] ?? partial.email,
        aadObjectId: randomUUID(),
        userPrincipalName: partial.email,
        tenantId: options.tenantId ?? DEFAULT_TENANT,
        userRole: "user",
        ...partial,
      };
      members.set(member.id, member);
      return member;
    },
    failNext(n, failure) {
      for (let i = 0; i < n; i++) faults.push({ kind: "fail", failure });
    },
    hangNext(n, hangOptions = {}) {
      for (let i = 0; i < n; i++) faults.push({ kind: "hang", deliver: hangOptions.deliver ?? false });
    },
    blockConversation(conversationId) {
      blocked.add(conversationId);
    },
    waitFor(predicate, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return poll(() => (predicate(sent) ? [...sent] : undefined), timeoutMs, "waitFor predicate");
    },
    waitForActivities(match, { count = 1, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      return poll(
        () => {
          const found = sent.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} matching activities`,
      );
    },
    waitForUpdates(match, { count = 1, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      return poll(
        () => {
          const found = updates.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} matching updates`,
      );
    },
    clear() {
      for (const list of [sent, updates, deletes, conversations, requests] as unknown[][]) list.length = 0;
      faults.length = 0;
      blocked.clear();
      windows.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function describeSent(r: RecordedActivity): string {
  return `${r.id} in ${r.conversationId}${r.replyToId ? ` (reply to ${r.replyToId})` : ""} to ${r.recipientId ?? "?"}: ${describeActivity(r.activity)}`;
}

function describeActivity(a: WireActivity): string {
  const text = typeof a.text === "string" ? ` "${a.text.length > 80 ? `${a.text.slice(0, 77)}...` : a.text}"` : "";
  const attachments = (a.attachments ?? []).map((x) => x.contentType ?? "?").join(", ");
  return `${a.type ?? "?"}${text}${attachments ? ` [${attachments}]` : ""}`;
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function answer(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(json), ...headers }).end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.trim() === "" ? undefined : (JSON.parse(text) as unknown);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstMemberId(parameters: Record<string, unknown>): string | undefined {
  const list = parameters["members"];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  return isObject(first) && typeof first["id"] === "string" ? first["id"] : undefined;
}

function tenantOfParameters(parameters: Record<string, unknown>): string | undefined {
  if (typeof parameters["tenantId"] === "string") return parameters["tenantId"];
  const channelData = parameters["channelData"];
  const tenant = isObject(channelData) ? channelData["tenant"] : undefined;
  return isObject(tenant) && typeof tenant["id"] === "string" ? tenant["id"] : undefined;
}
