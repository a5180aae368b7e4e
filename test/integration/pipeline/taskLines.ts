import { isFinished } from "../../../src/monitor/TaskEvent";
import { TASK_CONTENT_KEY, TaskContentFacts } from "../../../src/notify/taskMessages";

/** One bot message about a task, reduced to what a person in the room notices. */
export interface TaskLine {
    /** status = the task's status message, edit = its m.replace, finished/confirmation = new messages that notify. */
    kind: "status" | "edit" | "finished" | "confirmation";
    taskId: number;
    status: string;
    eventId: string;
    /** The message an edit replaces. */
    replaces?: string;
}

/** The task line of a bot message (as sent, or as a client reads it), or null for any other message. */
export function taskLineOf(eventId: string, content: Record<string, unknown>): TaskLine | null {
    const relation = content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
    const isEdit = relation?.rel_type === "m.replace";
    const shown = isEdit ? (content["m.new_content"] as Record<string, unknown> | undefined) : content;
    const facts = shown?.[TASK_CONTENT_KEY] as TaskContentFacts | undefined;
    if (!facts) {
        return null;
    }
    const line = { taskId: facts.taskId, status: facts.status, eventId };
    if (isEdit) {
        return { ...line, kind: "edit", replaces: relation?.event_id };
    }
    // Status messages never mention anyone; the messages that must notify the requester do.
    const mentions = (content["m.mentions"] as { user_ids?: string[] } | undefined)?.user_ids ?? [];
    if (mentions.length === 0) {
        return { ...line, kind: "status" };
    }
    return { ...line, kind: isFinished(facts.status) ? "finished" : "confirmation" };
}

/** Short form for exact assertions: "status running", "edit success", "finished success". */
export function summarize(lines: TaskLine[]): string[] {
    return lines.map((line) => `${line.kind} ${line.status}`);
}
