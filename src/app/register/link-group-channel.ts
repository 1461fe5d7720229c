// Use case: the bot was added to a team channel. That channel becomes where the CAF Champions Group's digests go,
// but only when a champion or the QA team added it: anyone else adding the app to their own team must not redirect
// the digests (and with them the council's figures) there.
import { hasRole, type Person } from "../../domain/person";
import { noticeView } from "../cards/audit-views";
import type { ChatDeps, ChatReply } from "../chat-deps";
import type { ChannelIdentity } from "../ports";

/** `adder` is who added the bot, when the directory knows them; `identity` is the channel's address. */
export async function linkChampionsChannel(deps: Pick<ChatDeps, "directory">, adder: Person | undefined, identity: ChannelIdentity): Promise<ChatReply & { linked: boolean }> {
  if (!adder || !(hasRole(adder, "champion") || hasRole(adder, "qa"))) {
    return { view: noticeView("CAF audit digests go elsewhere", "I post the CAF audit digest only in the CAF Champions Group's team. Ask a champion or the CAF QA team to add me there."), inPlace: false, code: "group_channel_refused", linked: false };
  }
  await deps.directory.saveGroupChannel("champions", identity);
  return { view: noticeView("CAF audit digests", "I will post the monthly CAF audit digest here: counts and case references only, never names or what was written in an audit."), inPlace: false, linked: true };
}
