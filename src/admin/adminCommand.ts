import { Command, CommandError } from "../commands/Command";
import { expectPositional, parseArgs } from "../commands/options";
import { plainNotice } from "../matrix/formatting";
import { AdminMatrix } from "./adminMatrix";
import { AdminRoomAccess } from "./AdminRoom";

export interface AdminCommandDeps {
    matrix: Pick<AdminMatrix, "memberships">;
    botUserId: string;
    openAdminRoom(userId: string): Promise<AdminRoomAccess>;
}

const REPLIES: Readonly<Record<AdminRoomAccess, string>> = {
    created: "I created a new admin room and invited you.",
    invited: "I invited you to the admin room again.",
    "already-invited": "You are already invited to the admin room: accept the invitation to join it.",
    "already-joined": "You are already in the admin room.",
};

/** `!cd admin` (main table): in a direct chat with the bot, gets an admin into the admin room. */
export function adminCommand(deps: AdminCommandDeps): Command<unknown> {
    return {
        name: "admin",
        args: "",
        summary: "Get into the bridge's admin room, re-creating it if it is lost (in a direct chat with me)",
        level: "admin",
        async run(ctx) {
            expectPositional(parseArgs(ctx.args, {}).positional, 0, 0, `${ctx.prefix} admin`);
            const joined = [...(await deps.matrix.memberships(ctx.roomId))].filter(([, membership]) => membership === "join").map(([user]) => user);
            const direct = joined.length === 2 && joined.includes(deps.botUserId) && joined.includes(ctx.sender);
            if (!direct) {
                throw new CommandError(`${ctx.prefix} admin works in a direct chat with me: invite me into a room of just the two of us and send it there.`);
            }
            await ctx.reply(plainNotice(REPLIES[await deps.openAdminRoom(ctx.sender)]));
        },
    };
}
