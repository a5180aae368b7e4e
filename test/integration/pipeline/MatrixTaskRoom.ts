import { MatrixEvent, MatrixTestUser } from "../../harness/matrixUser";
import { eventually, equalTo } from "./eventually";
import { summarize, TaskLine, taskLineOf } from "./taskLines";

/**
 * A real Matrix room, as a test user sees it, with the bridge's bot in it: what the bot said about
 * each task, read from the room's history (so a duplicate cannot hide between two waits).
 */
export class MatrixTaskRoom {
    private constructor(
        readonly user: MatrixTestUser,
        readonly roomId: string,
        readonly botUserId: string,
    ) {}

    /** A new room of `user`'s; resolves once the bot joined and greeted. */
    static async open(user: MatrixTestUser, botUserId: string): Promise<MatrixTaskRoom> {
        const roomId = await user.createRoom();
        await user.invite(roomId, botUserId);
        await user.waitForMembership(roomId, botUserId, "join", { timeoutMs: 15_000 });
        await user.waitForEvent(roomId, (e) => e.sender === botUserId && e.type === "m.room.message", { description: "the greeting" });
        return new MatrixTaskRoom(user, roomId, botUserId);
    }

    say(text: string): Promise<string> {
        return this.user.sendText(this.roomId, text);
    }

    /** The bot's messages in the room, oldest first. */
    async botMessages(): Promise<MatrixEvent[]> {
        const events = await this.user.messages(this.roomId, 200);
        return events.filter((e) => e.sender === this.botUserId && e.type === "m.room.message");
    }

    async taskLines(taskId: number): Promise<TaskLine[]> {
        return (await this.botMessages())
            .map((e) => taskLineOf(e.event_id ?? "", e.content))
            .filter((line): line is TaskLine => line !== null && line.taskId === taskId);
    }

    /** Resolves with the task's lines once their summary is exactly `expected` ("status running", "edit success", …). */
    async waitForTask(taskId: number, expected: string[], timeoutMs = 15_000): Promise<TaskLine[]> {
        const shows = equalTo(expected);
        const lines = await eventually(() => this.taskLines(taskId), (read) => shows(summarize(read)), `${this.roomId} to show ${JSON.stringify(expected)} for task ${taskId}`, {
            timeoutMs,
            intervalMs: 250,
        });
        return lines;
    }

    async contentOf(eventId: string): Promise<Record<string, unknown>> {
        const event = (await this.botMessages()).find((e) => e.event_id === eventId);
        if (!event) {
            throw new Error(`no bot message ${eventId} in ${this.roomId}`);
        }
        return event.content;
    }
}
