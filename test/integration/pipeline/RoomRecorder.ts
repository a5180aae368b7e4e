import { EventTransport } from "../../../src/matrix/RoomSender";
import { summarize, TaskLine, taskLineOf } from "./taskLines";

export interface RecordedEvent {
    roomId: string;
    eventId: string;
    type: string;
    content: Record<string, unknown>;
}

/**
 * Stands in for the homeserver under the real RoomSender: records every event in order and hands
 * out $1, $2, … as event ids.
 */
export class RoomRecorder implements EventTransport {
    readonly events: RecordedEvent[] = [];
    private nextId = 1;

    async sendEvent(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
        const eventId = `$${this.nextId++}`;
        this.events.push({ roomId, eventId, type, content });
        return eventId;
    }

    /** The task messages a room got, in order; `taskId` narrows them to one task. */
    taskLines(roomId: string, taskId?: number): TaskLine[] {
        return this.events
            .filter((event) => event.roomId === roomId)
            .map((event) => taskLineOf(event.eventId, event.content))
            .filter((line): line is TaskLine => line !== null && (taskId === undefined || line.taskId === taskId));
    }

    /** See summarize(): "status running", "edit success", … */
    summary(roomId: string, taskId: number): string[] {
        return summarize(this.taskLines(roomId, taskId));
    }
}
