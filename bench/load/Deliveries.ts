import { performance } from "node:perf_hooks";
import { isFinished, isTaskStatus } from "../../src/monitor/TaskEvent";
import { TASK_CONTENT_KEY, TaskContentFacts } from "../../src/notify/taskMessages";
import { ObservedSend } from "../fakeHomeserver";
import { sleep } from "../bridge/BridgeProcess";

interface Expected {
    /** Room and task: "room project/task". */
    roomTask: string;
    status: string;
    sentAt: number;
    firstAt?: number;
    /** The room's status message for this status: a new message or an edit (never mentions anyone). */
    statusMessages: number;
    /** The extra message a finished or waiting_confirmation status calls for (mentions the requester). */
    followUps: number;
}

const roomTaskOf = (roomId: string, projectId: number, taskId: number) => `${roomId} ${projectId}/${taskId}`;

/** Identifies what one alert should make the bridge tell one room. */
export function deliveryKey(roomId: string, projectId: number, taskId: number, status: string): string {
    return `${roomTaskOf(roomId, projectId, taskId)} ${status}`;
}

/**
 * Matches what the homeserver received against the alerts posted: latency from the alert frame to
 * the first Matrix request for it, alerts never told (lost) and statuses told twice (duplicated).
 * The task facts come from the namespaced copy every task message carries (edits in m.new_content).
 *
 * An alert for a status that is not final counts as superseded, not lost, once the room was told
 * the task finished: the bridge rightly never steps back (it may learn the end by polling first).
 */
export class Deliveries {
    private readonly expected = new Map<string, Expected>();
    /** Rooms and tasks told a finished status, by any message (polled ones included). */
    private readonly finishedTold = new Set<string>();
    /** Task messages for no posted alert (e.g. a status learned by polling). */
    unexpected = 0;

    expect(key: string, sentAt: number): void {
        if (this.expected.has(key)) throw new Error(`alert posted twice: ${key}`);
        const status = key.slice(key.lastIndexOf(" ") + 1);
        this.expected.set(key, { roomTask: key.slice(0, key.lastIndexOf(" ")), status, sentAt, statusMessages: 0, followUps: 0 });
    }

    observe(send: ObservedSend): void {
        const content = send.content;
        const newContent = content["m.new_content"] as Record<string, unknown> | undefined;
        const facts = (newContent?.[TASK_CONTENT_KEY] ?? content[TASK_CONTENT_KEY]) as TaskContentFacts | undefined;
        if (!facts) return;
        if (isTaskStatus(facts.status) && isFinished(facts.status)) this.finishedTold.add(roomTaskOf(send.roomId, facts.projectId, facts.taskId));
        const entry = this.expected.get(deliveryKey(send.roomId, facts.projectId, facts.taskId, facts.status));
        if (!entry) {
            this.unexpected++;
            return;
        }
        entry.firstAt ??= send.receivedAt;
        const mentions = (content["m.mentions"] as { user_ids?: string[] } | undefined)?.user_ids ?? [];
        if (mentions.length > 0) entry.followUps++;
        else entry.statusMessages++;
    }

    get posted(): number {
        return this.expected.size;
    }

    /** Waits until every posted alert reached its room (or was superseded), or `timeoutMs` passed. */
    async settle(timeoutMs: number): Promise<void> {
        const deadline = performance.now() + timeoutMs;
        while (this.lost() > 0 && performance.now() < deadline) await sleep(20);
    }

    latencies(): number[] {
        return this.timeline().map(([, latency]) => latency);
    }

    /** [sent at, latency] of every alert told, in posting order (ms, this process's clock). */
    timeline(): Array<[sentAt: number, latencyMs: number]> {
        return [...this.expected.values()].filter((e) => e.firstAt !== undefined).map((e) => [e.sentAt, e.firstAt! - e.sentAt]);
    }

    lost(): number {
        return this.lostEntries().length;
    }

    /** Keys of the first `limit` alerts never told, for diagnosis. */
    lostKeys(limit = 20): string[] {
        return this.lostEntries()
            .slice(0, limit)
            .map((e) => `${e.roomTask} ${e.status}`);
    }

    superseded(): number {
        return [...this.expected.values()].filter((e) => e.firstAt === undefined && this.isSuperseded(e)).length;
    }

    /** Alerts whose status message or follow-up reached the room more than once. */
    duplicated(): number {
        return [...this.expected.values()].filter((e) => e.statusMessages > 1 || e.followUps > 1).length;
    }

    private lostEntries(): Expected[] {
        return [...this.expected.values()].filter((e) => e.firstAt === undefined && !this.isSuperseded(e));
    }

    private isSuperseded(entry: Expected): boolean {
        return isTaskStatus(entry.status) && !isFinished(entry.status) && this.finishedTold.has(entry.roomTask);
    }
}
