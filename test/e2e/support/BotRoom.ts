import { MatrixEvent, MatrixTestUser } from "../../harness/matrixUser";
import { Content } from "./expectedContent";

/** Messages and reactions the bot sent (edits are messages too). */
export function isFromBot(botUserId: string): (event: MatrixEvent) => boolean {
    return function fromBot(event) {
        return event.sender === botUserId && (event.type === "m.room.message" || event.type === "m.reaction");
    };
}

const JOIN_TIMEOUT_MS = 15_000;
// Enough for any test room: a few dozen events at most.
const HISTORY_LIMIT = 200;

/** One person's view of one room the bot is in. */
export class BotRoom {
    private constructor(
        readonly user: MatrixTestUser,
        readonly roomId: string,
        readonly botUserId: string,
    ) {}

    /** A new room of `owner`, with the bot invited, joined, and its greeting already passed. */
    static async open(owner: MatrixTestUser, botUserId: string): Promise<BotRoom> {
        const roomId = await owner.createRoom();
        await owner.invite(roomId, botUserId);
        await owner.waitForMembership(roomId, botUserId, "join", { timeoutMs: JOIN_TIMEOUT_MS });
        const room = new BotRoom(owner, roomId, botUserId);
        await room.nextFromBot("the bot's greeting");
        return room;
    }

    /** `member` joins this room; returns their view of it. */
    async addMember(member: MatrixTestUser): Promise<BotRoom> {
        await this.user.invite(this.roomId, member.userId);
        await member.join(this.roomId);
        await this.user.waitForMembership(this.roomId, member.userId, "join");
        return new BotRoom(member, this.roomId, this.botUserId);
    }

    say(text: string): Promise<string> {
        return this.user.sendText(this.roomId, text);
    }

    react(eventId: string, key: string): Promise<string> {
        return this.user.react(this.roomId, eventId, key);
    }

    /** The bot's next message or reaction after the last one this view has passed. */
    nextFromBot(description: string, timeoutMs = 10_000): Promise<MatrixEvent> {
        return this.user.waitForEvent(this.roomId, isFromBot(this.botUserId), { timeoutMs, description });
    }

    /** The bot's next `count` messages or reactions, in the order they arrived. */
    async nextFromBotN(count: number, description: string): Promise<MatrixEvent[]> {
        const events: MatrixEvent[] = [];
        for (let i = 1; i <= count; i++) events.push(await this.nextFromBot(`${description} (${i} of ${count})`));
        return events;
    }

    /** The content of everything the bot sent after `eventId`, oldest first, as the server's history has it. */
    async botContentAfter(eventId: string): Promise<Content[]> {
        const history = await this.user.messages(this.roomId, HISTORY_LIMIT);
        const start = history.findIndex((event) => event.event_id === eventId);
        if (start < 0) throw new Error(`event ${eventId} is not among the last ${HISTORY_LIMIT} events of ${this.roomId}`);
        return history.slice(start + 1).filter(isFromBot(this.botUserId)).map((event) => event.content);
    }
}
