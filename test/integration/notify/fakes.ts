import { TextContent } from "../../../src/matrix/formatting";
import { TaskReader } from "../../../src/notify/TaskEnricher";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { SemaphoreTask, SemaphoreTemplate } from "../../../src/semaphore/types";

export type SentEvent =
    | { kind: "message"; roomId: string; eventId: string; content: TextContent | Record<string, unknown> }
    | { kind: "edit"; roomId: string; eventId: string; replaces: string; content: TextContent };

/** Stands in for RoomSender: records every send in order, hands out $1, $2, …, fails chosen rooms. */
export class RecordingSender {
    readonly sent: SentEvent[] = [];
    /** Rooms whose sends reject, as RoomSender does once its retries are exhausted. */
    readonly failingRooms = new Set<string>();
    private nextId = 1;

    async sendMessage(roomId: string, content: TextContent | Record<string, unknown>): Promise<string> {
        const eventId = this.deliver(roomId);
        this.sent.push({ kind: "message", roomId, eventId, content });
        return eventId;
    }

    async edit(roomId: string, replaces: string, content: TextContent): Promise<string> {
        const eventId = this.deliver(roomId);
        this.sent.push({ kind: "edit", roomId, eventId, replaces, content });
        return eventId;
    }

    /** What reached one room, without the ids (those are checked separately where they matter). */
    to(roomId: string): SentEvent[] {
        return this.sent.filter((event) => event.roomId === roomId);
    }

    private deliver(roomId: string): string {
        if (this.failingRooms.has(roomId)) {
            throw Object.assign(new Error("M_FORBIDDEN: You are not in this room"), { statusCode: 403 });
        }
        return `$${this.nextId++}`;
    }
}

/** Semaphore's task and template reads with a log of every call. */
export class FakeSemaphore implements TaskReader {
    readonly calls: string[] = [];
    readonly tasks = new Map<string, SemaphoreTask>();
    templates: SemaphoreTemplate[] = [];
    /** While set, every call throws it. */
    failure: Error | null = null;

    async getTask(projectId: number, taskId: number): Promise<SemaphoreTask> {
        this.record(`getTask ${projectId}/${taskId}`);
        const task = this.tasks.get(`${projectId}/${taskId}`);
        if (!task) throw new SemaphoreError("not-found", `No task ${taskId} in project ${projectId}`, 400);
        return { ...task };
    }

    async listTemplates(projectId: number): Promise<SemaphoreTemplate[]> {
        this.record(`listTemplates ${projectId}`);
        return this.templates.filter((template) => template.project_id === projectId);
    }

    private record(call: string): void {
        this.calls.push(call);
        if (this.failure) throw this.failure;
    }
}
