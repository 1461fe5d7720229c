// Use case: the self-evaluation evidence pack of a period (normally the financial year to date). Reads the period
// once, as the digest does; the figures, the months' included, come from src/domain/evidence-pack.ts.
import { evidencePack, type EvidencePack } from "../domain/evidence-pack";
import type { ChatDeps } from "./chat-deps";
import { digestInput, type DigestSettings } from "./make-digest";

export async function makeEvidencePack(deps: ChatDeps, fromMonth: string, toMonth: string, settings: DigestSettings): Promise<EvidencePack> {
  return evidencePack(await digestInput(deps, fromMonth, toMonth, settings));
}
