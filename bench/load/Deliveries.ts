import { performance } from "node:perf_hooks";
import { TASK_CONTENT_KEY, TaskContentFacts } from "../../src/notify/taskMessages";
import { ObservedSend } from "../fakeHomeserver";
import { sleep } from "../bridge/BridgeProcess";

interface Expected {
    sentAt: number;
    firstAt?: number;
    /** The room's status message for this status: a new message or an edit (never mentions anyone). */
    statusMessages: number;
    /** The extra message a finished or waiting_confirmation status calls for (mentions the requester). */
    followUps: number;
}

/** Identifies what one alert should make the bridge tell one room. */
export function deliveryKey(roomId: string, projectId: number, taskId: number, status: string): string {
    return `${roomId} ${projectId}/${taskId} ${status}`;
}

/**
 * Matches what the homeserver received against the alerts posted: latency from the alert frame to
 * the first Matrix request for it, alerts never told (lost) and statuses told twice (duplicated).
 * The task facts come from the namespaced copy every task message carries (edits in m.new_content).
 */
export class Deliveries {
    private readonly expected = new Map<string, Expected>();
    private outstandingCount = 0;
    /** Task messages for no posted alert (e.g. a status learned by polling). */
    unexpected = 0;

    expect(key: string, sentAt: number): void {
        if (this.expected.has(key)) throw new Error(`alert posted twice: ${key}`);
        this.expected.set(key, { sentAt, statusMessages: 0, followUps: 0 });
        this.outstandingCount++;
    }

    observe(send: ObservedSend): void {
        const content = send.content;
        const newContent = content["m.new_content"] as Record<string, unknown> | undefined;
        const facts = (newContent?.[TASK_CONTENT_KEY] ?? content[TASK_CONTENT_KEY]) as TaskContentFacts | undefined;
        if (!facts) return;
        const entry = this.expected.get(deliveryKey(send.roomId, facts.projectId, facts.taskId, facts.status));
        if (!entry) {
            this.unexpected++;
            return;
        }
        if (entry.firstAt === undefined) {
            entry.firstAt = send.receivedAt;
            this.outstandingCount--;
        }
        const mentions = (content["m.mentions"] as { user_ids?: string[] } | undefined)?.user_ids ?? [];
        if (mentions.length > 0) entry.followUps++;
        else entry.statusMessages++;
    }

    get posted(): number {
        return this.expected.size;
    }

    get outstanding(): number {
        return this.outstandingCount;
    }

    /** Waits until every posted alert reached the homeserver, or `timeoutMs` passed. */
    async settle(timeoutMs: number): Promise<void> {
        const deadline = performance.now() + timeoutMs;
        while (this.outstandingCount > 0 && performance.now() < deadline) await sleep(20);
    }

    latencies(): number[] {
        return [...this.expected.values()].filter((e) => e.firstAt !== undefined).map((e) => e.firstAt! - e.sentAt);
    }

    lost(): number {
        return this.outstandingCount;
    }

    /** Alerts whose status message or follow-up reached the room more than once. */
    duplicated(): number {
        return [...this.expected.values()].filter((e) => e.statusMessages > 1 || e.followUps > 1).length;
    }
}
