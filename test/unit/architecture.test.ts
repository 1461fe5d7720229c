// Decision 1 of the architecture: imports point inward. This fails the build when a file reaches outward.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src", import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)[^"']*from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
}

/** Packages the pure domain may use: validation and calendar arithmetic, no I/O. */
const DOMAIN_PACKAGES = new Set(["zod", "luxon", "date-holidays"]);

describe("imports point inward", () => {
  it("the domain imports only itself and pure libraries: no SDK, no I/O, no node: modules", () => {
    const offenders = filesUnder(join(src, "domain")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => (spec.startsWith(".") ? !spec.startsWith("./") : !DOMAIN_PACKAGES.has(spec)))
        .map((spec) => `${relative(src, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the domain never reads the clock or draws random numbers of its own", () => {
    const offenders = filesUnder(join(src, "domain")).filter((file) => /Date\.now\(|new Date\(\)|Math\.random\(/.test(readFileSync(file, "utf8")));
    expect(offenders.map((f) => relative(src, f))).toEqual([]);
  });

  it("use cases import the domain and each other, never adapters or SDKs", () => {
    const adapters = /^(\.\.\/)+(storage|channels|cli|jobs|toolkits)\/|^(botbuilder|@slack\/|@azure\/)/;
    const offenders = filesUnder(join(src, "app")).flatMap((file) =>
      importsOf(file).filter((spec) => adapters.test(spec)).map((spec) => `${relative(src, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("botbuilder stays inside the Teams adapter and Bolt inside the Slack adapter", () => {
    const offenders = filesUnder(src).flatMap((file) => {
      const where = relative(src, file);
      return importsOf(file)
        .filter((spec) => (spec.startsWith("botbuilder") && !where.startsWith("channels/teams/")) || (spec.startsWith("@slack/") && !where.startsWith("channels/slack/")))
        .map((spec) => `${where} imports ${spec}`);
    });
    expect(offenders).toEqual([]);
  });

  it("channels do not reach storage, and one chat's adapter never imports the other's", () => {
    const offenders = filesUnder(join(src, "channels")).flatMap((file) => {
      const own = relative(src, file).split("/")[1];
      return importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => relative(src, resolve(dirname(file), spec)))
        .filter((target) => target.startsWith("storage/") || (target.startsWith("channels/") && target.split("/")[1] !== own))
        .map((target) => `${relative(src, file)} imports ${target}`);
    });
    expect(offenders).toEqual([]);
  });
});
