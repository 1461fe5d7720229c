// The monthly digest in Slack: posted to the Champions Group's channel (SLACK_CHAMPIONS_CHANNEL) as Block Kit with
// counts and no names, its chart uploaded as a PNG with files.uploadV2 under it, once however often it is posted;
// Teams gets its own copy, so a failure in one chat never posts twice in the other.
import { readFile } from "node:fs/promises";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateMonth } from "../../src/app/allocation/allocate-month";
import { importCases } from "../../src/app/allocation/import-cases";
import { importPeople } from "../../src/app/allocation/import-people";
import { postDigest } from "../../src/app/reporting/post-digest";
import { blocksText, eventually, startSlackHarness, type SlackHarness } from "../support/slack-harness";

const settings = { anonymityFloor: 3, scoreThreshold: 2.5, coveragePercent: 20 };
const CHANNEL = "C0CHAMPIONS";

describe("the monthly digest in Slack", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ SLACK_CHAMPIONS_CHANNEL: CHANNEL }, "2026-12-08T10:00:00Z");
    await importPeople(h.core, await readFile("examples/people.csv"), "test");
    await importCases(h.core, await readFile("examples/cases.csv"), "test");
    const r = await allocateMonth(h.core, { month: "2026-11", seed: 3, actor: "test", dryRun: false });
    expect(r.ok).toBe(true);
  });
  afterAll(async () => h?.close());

  it("is posted to the Champions channel with counts only, its chart uploaded beneath as a PNG", async () => {
    await postDigest(h.core, settings, "month", "2026-11", "2026-11");
    const post = await eventually(() => h.messagesIn(CHANNEL).find((m) => m.text.includes("CAF audits: November 2026")), 10_000, "digest in the channel");
    const text = blocksText(post.blocks);
    expect(text).toContain("8 of a target of 8");
    const names = (await readFile("examples/people.csv", "utf8")).split("\n").slice(1).map((l) => l.split(",")[1]).filter(Boolean);
    for (const name of names) expect(text, name).not.toContain(name!);

    const [complete] = await h.slack.waitFor("files.completeUploadExternal");
    expect(complete!.args.channel_id).toBe(CHANNEL);
    const [upload] = h.slack.uploads;
    const png = PNG.sync.read(upload!.bytes);
    expect(png.width).toBe(800);
    expect(JSON.parse(String(complete!.args.files))[0].id).toBe(upload!.fileId);

    // Posting the same digest again posts nothing new.
    await postDigest(h.core, settings, "month", "2026-11", "2026-11");
    await new Promise((r) => setTimeout(r, 400));
    expect(h.messagesIn(CHANNEL).filter((m) => m.text.includes("CAF audits: November 2026"))).toHaveLength(1);
    expect(h.slack.uploads).toHaveLength(1);
    // The Teams copy is its own message, waiting for the bot to be added to a team.
    const waiting = await h.core.outbox.undelivered();
    expect(waiting.filter((m) => m.recipientEmail === "group:champions")).toHaveLength(1);
  });
});
