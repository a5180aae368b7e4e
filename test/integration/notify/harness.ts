import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskEvent, TaskStatus } from "../../../src/monitor/TaskEvent";
import { Notifier, NotifierDeps } from "../../../src/notify/Notifier";
import { createTaskRoomStore } from "../../../src/store";
import { TaskRoomStore, TaskWatch } from "../../../src/store/TaskRoomStore";
import { FakeSemaphore, RecordingSender } from "./fakes";

export const OPS = "!ops:example.org";
export const DEV = "!dev:example.org";
export const ALICE = "@alice:example.org";
export const URL = "https://semaphore.example.org/project/1/templates/3?t=42";
export const TASK = { projectId: 1, taskId: 42 };
export const OBSERVED_AT = 1_000_000;
export const link = `<a href="${URL}">#42</a>`;
export const alicePill = `<a href="https://matrix.to/#/${ALICE}">${ALICE}</a>: `;

/** The exact content of a bot notice about task 1/42 of template 3. */
export function taskNotice(status: TaskStatus, body: string, html: string, mentions: string[] = []) {
    return {
        // Mentioning messages are m.text: push rules never notify for m.notice.
        msgtype: mentions.length > 0 ? "m.text" : "m.notice",
        body: `${body}\n${URL}`,
        format: "org.matrix.custom.html",
        formatted_body: html,
        "m.mentions": mentions.length > 0 ? { user_ids: mentions } : {},
        "io.github.matrix-semaphore-bridge.task": { projectId: 1, taskId: 42, templateId: 3, status, url: URL },
    };
}

export const event = (status: TaskStatus, fields: Partial<TaskEvent> = {}): TaskEvent => ({
    ...TASK,
    templateId: 3,
    status,
    source: "poll",
    observedAt: OBSERVED_AT,
    ...fields,
});

/** A real NeDB store in a fresh directory, a recording sender, a fake Semaphore and a manual clock. */
export class NotifierHarness {
    dataDir = "";
    store!: TaskRoomStore;
    sender!: RecordingSender;
    semaphore!: FakeSemaphore;
    now = 0;
    metrics = { sent: [] as string[], latencies: [] as number[], failures: 0 };

    async setUp(): Promise<void> {
        this.dataDir = mkdtempSync(join(tmpdir(), "msb-notifier-"));
        this.store = await this.openStore();
        this.sender = new RecordingSender();
        this.semaphore = new FakeSemaphore();
        this.semaphore.templates = [{ id: 3, project_id: 1, name: "Deploy web" }];
        this.taskInSemaphore("waiting");
        this.now = OBSERVED_AT + 250;
        this.metrics = { sent: [], latencies: [], failures: 0 };
    }

    async tearDown(): Promise<void> {
        await this.store.close();
        rmSync(this.dataDir, { recursive: true, force: true });
    }

    /** Closes the store and opens a new one over the same files, as a bridge restart does. */
    async restartStore(): Promise<void> {
        await this.store.close();
        this.store = await this.openStore();
    }

    notifier(overrides: Partial<NotifierDeps> = {}): Notifier {
        return new Notifier({
            store: this.store,
            sender: this.sender,
            semaphore: this.semaphore,
            semaphoreUrl: "https://semaphore.example.org",
            prefix: "!cd",
            clock: () => this.now,
            metrics: {
                notificationSent: (kind) => this.metrics.sent.push(kind),
                latency: (ms) => this.metrics.latencies.push(ms),
                notificationFailed: () => this.metrics.failures++,
            },
            ...overrides,
        });
    }

    watch(roomId: string, fields: Partial<TaskWatch> = {}): Promise<void> {
        return this.store.putWatch({ roomId, ...TASK, requestedBy: ALICE, finished: false, createdAt: 1, ...fields });
    }

    /** Semaphore's view of task 1/42; `end` set once it finished. */
    taskInSemaphore(status: TaskStatus, end: string | null = null, user_name = "alice"): void {
        this.semaphore.tasks.set("1/42", { id: 42, project_id: 1, template_id: 3, status, user_name, start: "2024-05-01T10:00:00Z", end });
    }

    private async openStore(): Promise<TaskRoomStore> {
        const opened = createTaskRoomStore({ engine: "nedb" }, this.dataDir);
        await opened.init();
        return opened;
    }
}

/** Registers setUp/tearDown hooks in the enclosing describe. */
export function useNotifierHarness(): NotifierHarness {
    const harness = new NotifierHarness();
    beforeEach(() => harness.setUp());
    afterEach(() => harness.tearDown());
    return harness;
}
