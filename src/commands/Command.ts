import { PermissionLevel } from "../config/Config";
import { Level } from "../permissions";
import { TextContent } from "../matrix/formatting";

/** A mistake of the user's: shown in the room as it is, with ⛔. */
export class CommandError extends Error {}

export interface CommandContext {
    roomId: string;
    sender: string;
    eventId: string;
    /** Words after the command name, quotes already removed. */
    args: string[];
    senderLevel: Level;
    /** The configured command prefix, e.g. "!cd" (for texts that show other commands). */
    prefix: string;
    reply(content: TextContent): Promise<void>;
}

/**
 * One command as a declarative value (mautrix style): help text and permission checks are derived
 * from this table, handlers only do their job.
 */
export interface Command<Services = unknown> {
    name: string;
    /** Usage of the arguments, e.g. "<project> <template> [--tags a,b]". Empty when none. */
    args: string;
    /** One line for the command list. */
    summary: string;
    /** Longer text for `help <command>`; defaults to the summary. */
    details?: string;
    level: PermissionLevel;
    run(ctx: CommandContext, services: Services): Promise<void>;
}
