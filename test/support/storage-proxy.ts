// A TCP proxy between the bot and the shared Azurite, so a test can take storage away and bring it back.
// - cut(): every open socket is reset (requests in flight lose their answer) and new connections are reset at once,
//   as when the storage account's front end goes away. The SDK sees ECONNRESET and gives up after its quick retries.
// - hold(): connections are accepted and what they send is kept, unanswered, until restore() forwards it: a
//   storage that stops answering without closing anything.
// - cutAt(match, { skip }): cuts when a request line matching `match` arrives (the skip-th first ones pass), before
//   any of it reaches Azurite, so a test can stop storage at a chosen point of a use case ("the third transaction").
// - holdAt(match, count): holds only the connections of matching requests, to line up simultaneous ones.
// The proxy reads only request lines (method and path), never bodies.
import { createServer, createConnection, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { connectionStringFor } from "../../src/storage/embedded-azurite";

export interface SeenRequest {
  method: string;
  path: string;
  /** Whether it reached Azurite (false when the proxy was cut or cut because of it). */
  forwarded: boolean;
}

export interface StorageProxy {
  port: number;
  /** A connection string for the tables through the proxy (Azurite's development account). */
  connectionString: string;
  state(): "up" | "cut" | "held";
  cut(): void;
  hold(): void;
  restore(): void;
  /** Cuts when a matching request arrives, after letting `skip` matching ones through; resolves when it has cut. */
  cutAt(match: (request: { method: string; path: string }) => boolean, options?: { skip?: number }): Promise<SeenRequest>;
  /**
   * Holds the connection of each matching request (that request and what follows on its socket) until restore(),
   * while everything else flows; resolves once `count` of them are held. Lines up simultaneous requests.
   */
  holdAt(match: (request: { method: string; path: string }) => boolean, count: number): Promise<void>;
  /** Every request line seen so far. */
  requests: SeenRequest[];
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Data kept while held, each way. */
  pending: Buffer[];
  pendingBack: Buffer[];
  /** Held by holdAt, on its own while the others flow. */
  held: boolean;
}

const REQUEST_LINE = /(GET|POST|PUT|PATCH|MERGE|DELETE|HEAD|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/g;

export async function startStorageProxy(target: { host?: string; port: number }): Promise<StorageProxy> {
  const host = target.host ?? "127.0.0.1";
  let mode: "up" | "cut" | "held" = "up";
  const pairs = new Set<Pair>();
  const requests: SeenRequest[] = [];
  let holding: { match: (r: { method: string; path: string }) => boolean; left: number; resolve: () => void } | undefined;
  let armed: { match: (r: { method: string; path: string }) => boolean; skip: number; resolve: (r: SeenRequest) => void } | undefined;

  const reset = (socket: Socket) => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };
  const drop = (pair: Pair) => {
    pairs.delete(pair);
    reset(pair.client);
    reset(pair.upstream);
  };

  /** Records the request lines in a chunk; returns the one the armed cut is waiting for, if it is there. */
  const inspect = (chunk: Buffer): SeenRequest | undefined => {
    const text = chunk.toString("latin1");
    let triggered: SeenRequest | undefined;
    for (const m of text.matchAll(REQUEST_LINE)) {
      const seen: SeenRequest = { method: m[1]!, path: m[2]!, forwarded: mode === "up" };
      requests.push(seen);
      if (armed && mode === "up" && armed.match(seen)) {
        if (armed.skip > 0) {
          armed.skip--;
        } else {
          seen.forwarded = false;
          triggered = seen;
        }
      }
    }
    return triggered;
  };

  const server: Server = createServer((client) => {
    if (mode === "cut") {
      reset(client);
      return;
    }
    const upstream = createConnection({ host, port: target.port });
    const pair: Pair = { client, upstream, pending: [], pendingBack: [], held: false };
    pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (mode === "cut") return drop(pair);
      const triggered = inspect(chunk);
      if (triggered) {
        const hook = armed!;
        armed = undefined;
        cut();
        hook.resolve(triggered);
        return;
      }
      if (holding && !pair.held && matchesChunk(chunk, holding.match)) {
        pair.held = true;
        if (--holding.left === 0) holding.resolve();
      }
      if (mode === "held" || pair.held) pair.pending.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (mode === "up" && !pair.held) client.write(chunk);
      else pair.pendingBack.push(chunk);
    });
    const end = () => drop(pair);
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });

  function cut(): void {
    mode = "cut";
    for (const pair of [...pairs]) drop(pair);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    connectionString: connectionStringFor("127.0.0.1", port),
    state: () => mode,
    cut,
    hold() {
      mode = "held";
    },
    restore() {
      const wasHeld = mode === "held";
      mode = "up";
      holding = undefined;
      for (const pair of pairs) {
        if (wasHeld || pair.held) {
          pair.held = false;
          for (const chunk of pair.pending.splice(0)) pair.upstream.write(chunk);
          for (const chunk of pair.pendingBack.splice(0)) pair.client.write(chunk);
        }
      }
    },
    holdAt(match, count) {
      return new Promise((resolve) => {
        holding = { match, left: count, resolve };
      });
    },
    cutAt(match, options = {}) {
      return new Promise((resolve) => {
        armed = { match, skip: options.skip ?? 0, resolve };
      });
    },
    requests,
    async close() {
      armed = undefined;
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matchesChunk(chunk: Buffer, match: (r: { method: string; path: string }) => boolean): boolean {
  return [...chunk.toString("latin1").matchAll(REQUEST_LINE)].some((m) => match({ method: m[1]!, path: m[2]! }));
}

/** The port of the Azurite a connection string names (its TableEndpoint). */
export function portOf(connectionString: string): number {
  const endpoint = /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (!endpoint) throw new Error("the connection string names no TableEndpoint");
  return Number(new URL(endpoint).port);
}
