import { CommandContext } from "../Command";
import { CommandServices } from "../services";
import { plainNotice, TextContent } from "../../matrix/formatting";

/**
 * Ask the requester before a destructive step. Resolves true on "yes"; otherwise tells the room
 * that nothing happened ("nothing was started") and resolves false.
 */
export async function confirmFirst(
    ctx: CommandContext,
    services: CommandServices,
    question: TextContent,
    nothingHappened: string,
): Promise<boolean> {
    const answer = await services.confirmations.ask(ctx.roomId, ctx.sender, question);
    if (answer === "yes") return true;
    if (answer === "no") {
        await ctx.reply(plainNotice("Cancelled."));
    } else {
        await ctx.reply(plainNotice(`No answer within ${services.config.commands.confirmTimeoutSeconds} s; ${nothingHappened}.`));
    }
    return false;
}
