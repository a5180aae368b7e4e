import { MatrixEvent, MatrixTestUser } from "../../harness/matrixUser";

/** The namespaced task facts every task message of the bridge carries. */
const TASK_FACTS_KEY = "io.github.matrix-semaphore-bridge.task";
const FINISHED = new Set(["success", "error", "stopped", "rejected"]);

interface TaskFacts {
    projectId: number;
    taskId: number;
    status: string;
}

/** What one room was told about one task, in timeline order. */
export interface TaskTimeline {
    /** New (non-edit) status messages: exactly one when all is well. */
    statusMessages: string[];
    /** Statuses as the room saw them: the status message, then each edit. */
    shown: string[];
    /** Edits that replace something other than this task's status message. */
    strayEdits: number;
    /** The new messages announcing the finished status (the ones that mention the requester). */
    finishedMessages: MatrixEvent[];
}

const JOIN_TIMEOUT_MS = 15_000;

/** A new room of `owner` with the bot joined and its greeting passed. */
export async function openBotRoom(owner: MatrixTestUser, botUserId: string): Promise<string> {
    const roomId = await owner.createRoom();
    await owner.invite(roomId, botUserId);
    await owner.waitForMembership(roomId, botUserId, "join", { timeoutMs: JOIN_TIMEOUT_MS });
    await owner.waitForEvent(roomId, (e) => e.sender === botUserId && e.type === "m.room.message", { description: "the bot's greeting", timeoutMs: JOIN_TIMEOUT_MS });
    return roomId;
}

/** The bot's next message in the room (after what `user` has already passed there). */
export function nextBotMessage(user: MatrixTestUser, roomId: string, botUserId: string, timeoutMs = 10_000): Promise<MatrixEvent> {
    return user.waitForEvent(roomId, (e) => e.sender === botUserId && e.type === "m.room.message", { timeoutMs, description: "a message from the bot" });
}

function factsOf(event: MatrixEvent): TaskFacts | undefined {
    const content = (event.content["m.new_content"] as Record<string, unknown> | undefined) ?? event.content;
    return content[TASK_FACTS_KEY] as TaskFacts | undefined;
}

/** Groups the bot's task messages of a room by "project/task". */
export function taskTimelines(events: readonly MatrixEvent[], botUserId: string): Map<string, TaskTimeline> {
    const timelines = new Map<string, TaskTimeline>();
    for (const event of events) {
        if (event.sender !== botUserId || event.type !== "m.room.message") continue;
        const facts = factsOf(event);
        if (!facts) continue;
        const key = `${facts.projectId}/${facts.taskId}`;
        const timeline = timelines.get(key) ?? { statusMessages: [], shown: [], strayEdits: 0, finishedMessages: [] };
        timelines.set(key, timeline);
        const relation = event.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
        if (relation?.rel_type === "m.replace") {
            if (!timeline.statusMessages.includes(relation.event_id ?? "")) timeline.strayEdits++;
            timeline.shown.push(facts.status);
        } else if (timeline.statusMessages.length === 0) {
            timeline.statusMessages.push(event.event_id ?? "");
            timeline.shown.push(facts.status);
        } else if (FINISHED.has(facts.status)) {
            timeline.finishedMessages.push(event);
        } else {
            // A second status message: the room lost track of the first one.
            timeline.statusMessages.push(event.event_id ?? "");
            timeline.shown.push(facts.status);
        }
    }
    return timelines;
}

/** The room's whole history as `user` sees it, oldest first. */
export function roomHistory(user: MatrixTestUser, roomId: string): Promise<MatrixEvent[]> {
    return user.messages(roomId, 1000);
}

/** Polls the room until `done` holds for its task timelines; returns them. */
export async function waitForTimelines(
    user: MatrixTestUser,
    roomId: string,
    botUserId: string,
    done: (timelines: Map<string, TaskTimeline>) => boolean,
    timeoutMs: number,
): Promise<Map<string, TaskTimeline>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const timelines = taskTimelines(await roomHistory(user, roomId), botUserId);
        if (done(timelines)) return timelines;
        if (Date.now() > deadline) {
            const summary = [...timelines].map(([key, t]) => `${key}: shown ${t.shown.join(">")}, finished ×${t.finishedMessages.length}`).join("; ");
            throw new Error(`Timed out after ${timeoutMs} ms waiting for the room's task messages (${summary || "none"})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

/** True when every listed task finished in the room (its finished message arrived). */
export function allFinished(keys: readonly string[]): (timelines: Map<string, TaskTimeline>) => boolean {
    return (timelines) => keys.every((key) => (timelines.get(key)?.finishedMessages.length ?? 0) > 0);
}

const PROGRESSION = ["waiting", "starting", "running", "success", "error", "stopped"];

/** Shown statuses move forward only (waiting → running → finished), each at most once. */
export function movesForward(shown: readonly string[]): boolean {
    const ranks = shown.map((status) => PROGRESSION.indexOf(status));
    return ranks.every((rank, i) => rank >= 0 && (i === 0 || rank > ranks[i - 1]));
}
