import { Logger } from "matrix-appservice-bridge";
import { randomUUID } from "node:crypto";
import { Command, CommandContext, CommandError } from "./Command";
import { tokenize, TokenizeError } from "./tokenize";
import { findCommand } from "./help";
import { Permissions } from "../permissions";
import { plainNotice, TextContent } from "../matrix/formatting";
import { suggestNames } from "../util/suggest";
import { quoteInput } from "./quoteInput";

const log = new Logger("CommandRouter");

export const REACTION_OK = "✅";
export const REACTION_FAILED = "⛔";

/** What the router needs to answer in a room. */
export interface RoomResponder {
    sendMessage(roomId: string, content: TextContent): Promise<string>;
    react(roomId: string, eventId: string, key: string): Promise<void>;
}

export interface IncomingMessage {
    roomId: string;
    sender: string;
    eventId: string;
    body: string;
}

/**
 * Turns `!cd <command> …` messages into command runs: parses, checks the sender's level against
 * the command table, runs the handler, and acknowledges (✅, or ⛔ with an explanation).
 */
export class CommandRouter<Services> {
    constructor(
        private readonly prefix: string,
        private readonly commands: readonly Command<Services>[],
        private readonly permissions: Permissions,
        private readonly responder: RoomResponder,
        private readonly services: Services,
    ) {}

    /** True when the message is addressed to the bridge (starts with the prefix as a word). */
    isCommand(body: string): boolean {
        const trimmed = body.trimStart();
        if (!trimmed.toLowerCase().startsWith(this.prefix.toLowerCase())) return false;
        const next = trimmed.charAt(this.prefix.length);
        return next === "" || /\s/.test(next);
    }

    async handle(message: IncomingMessage): Promise<void> {
        if (!this.isCommand(message.body)) return;
        const line = message.body.trimStart().slice(this.prefix.length);
        let words: string[];
        try {
            words = tokenize(line);
        } catch (err) {
            if (!(err instanceof TokenizeError)) throw err;
            await this.refuse(message, `Could not read that command: ${err.message}.`);
            return;
        }
        const level = this.permissions.levelOf(message.sender);
        if (level === "none") {
            log.info(`Ignoring command from ${message.sender}: no permission rule matches`);
            await this.refuse(message, "You are not allowed to use this bridge.");
            return;
        }
        const name = (words[0] ?? "help").toLowerCase();
        const command = findCommand(this.commands, name);
        if (!command) {
            await this.refuse(message, this.unknownCommandText(name));
            return;
        }
        if (!this.permissions.allows(message.sender, command.level)) {
            await this.refuse(
                message,
                `${this.prefix} ${command.name} needs the "${command.level}" permission level; you have "${level}".`,
            );
            return;
        }
        await this.run(command, message, words.slice(1), level);
    }

    private async run(command: Command<Services>, message: IncomingMessage, args: string[], level: CommandContext["senderLevel"]): Promise<void> {
        let replied = false;
        const ctx: CommandContext = {
            roomId: message.roomId,
            sender: message.sender,
            eventId: message.eventId,
            args,
            senderLevel: level,
            prefix: this.prefix,
            reply: async (content) => {
                replied = true;
                await this.responder.sendMessage(message.roomId, content);
            },
        };
        try {
            await command.run(ctx, this.services);
            if (!replied) await this.responder.react(message.roomId, message.eventId, REACTION_OK);
        } catch (err) {
            if (err instanceof CommandError) {
                await this.refuse(message, err.message);
                return;
            }
            // Details go to the log only: stack traces and API bodies may hold things rooms must not see.
            const reference = randomUUID().slice(0, 8);
            log.error(`Command "${command.name}" from ${message.sender} in ${message.roomId} failed (ref ${reference}):`, err);
            await this.refuse(message, `Something went wrong while running ${this.prefix} ${command.name} (reference ${reference}); the bridge log has the details.`);
        }
    }

    private unknownCommandText(name: string): string {
        const suggestions = suggestNames(name, this.commands.map((c) => c.name));
        const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `${this.prefix} ${s}`).join(" or ")}?` : "";
        return `Unknown command ${quoteInput(name)}.${hint} Type ${this.prefix} help for the list of commands.`;
    }

    /** Answers a command that does not run: ⛔ on it and the reason as a notice. */
    async refuse(message: IncomingMessage, text: string): Promise<void> {
        await Promise.all([
            this.responder.react(message.roomId, message.eventId, REACTION_FAILED),
            this.responder.sendMessage(message.roomId, plainNotice(text)),
        ]);
    }
}
