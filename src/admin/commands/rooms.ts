import { Command, CommandError } from "../../commands/Command";
import { expectPositional, parseArgs } from "../../commands/options";
import { listNotice, textItem } from "../../commands/tasks/listNotice";
import { plainNotice } from "../../matrix/formatting";
import { AdminServices } from "./AdminServices";
import { followsText, roomFollows, roomFromWord, roomLabel } from "./roomText";

const LEAVE_REASON = "An admin of the Semaphore bridge asked me to leave this room.";

export const roomsCommand: Command<AdminServices> = {
    name: "rooms",
    args: "",
    summary: "List the rooms the bot is in, with what each follows",
    level: "admin",
    async run(ctx, services) {
        expectPositional(parseArgs(ctx.args, {}).positional, 0, 0, `${ctx.prefix} rooms`);
        // The admin room first, then the others in a stable order.
        const roomIds = (await services.matrix.joinedRooms()).sort((a, b) => Number(services.isAdminRoom(b)) - Number(services.isAdminRoom(a)) || a.localeCompare(b));
        const items = [];
        for (const roomId of roomIds) {
            const label = roomLabel(roomId, await services.matrix.roomName(roomId));
            if (services.isAdminRoom(roomId)) {
                items.push(textItem(`${label}: this admin room`));
                continue;
            }
            const follows = await roomFollows(services, roomId);
            items.push(textItem(`${label}: follows ${followsText(follows.watches, follows.subscriptions, follows.settings)}`));
        }
        await ctx.reply(listNotice(`The bot is in ${roomIds.length} room${roomIds.length === 1 ? "" : "s"}:`, items));
    },
};

export const leaveCommand: Command<AdminServices> = {
    name: "leave",
    args: "<room>",
    summary: "Make the bot leave a room (room id or alias) and forget what the room followed",
    level: "admin",
    async run(ctx, services) {
        const { positional } = parseArgs(ctx.args, {});
        expectPositional(positional, 1, 1, `${ctx.prefix} leave <room>`);
        const roomId = await roomFromWord(services, positional[0]);
        if (services.isAdminRoom(roomId)) {
            throw new CommandError(`I stay in the admin room. To get rid of it, leave it yourself; ${ctx.prefix} admin in a direct chat with me makes a new one.`);
        }
        if (!(await services.matrix.joinedRooms()).includes(roomId)) throw new CommandError(`I am not in ${roomId}.`);
        const label = roomLabel(roomId, await services.matrix.roomName(roomId));
        const follows = await roomFollows(services, roomId);
        await services.matrix.leave(roomId, LEAVE_REASON);
        // The bot's own leave event never comes back to the bridge, so the room is forgotten here.
        await services.store.removeRoom(roomId);
        await ctx.reply(plainNotice(`Left ${label}; forgot what it followed: ${followsText(follows.watches, follows.subscriptions, follows.settings)}.`));
    },
};
