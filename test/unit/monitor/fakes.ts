import { PushSource, SourceHandlers, SourceStatus } from "../../../src/monitor/EventSource";
import { PollSetProvider, WatchedTask } from "../../../src/monitor/PollSet";
import { TaskStatus } from "../../../src/monitor/TaskEvent";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { SemaphoreTask, TaskLookup } from "../../../src/semaphore/types";

/** In-memory Semaphore task state with a log of every call the code under test made. */
export class FakeTaskLookup implements TaskLookup {
    /** "last {pid}" or "task {pid}/{id}", with the time of the call when a clock is given. */
    readonly calls: string[] = [];
    readonly callTimes: number[] = [];
    /** While set, every call throws it (Semaphore down, token refused). */
    failure: Error | null = null;
    /** Projects Semaphore answers 404 for (deleted, or the bridge's user is no member). */
    readonly hiddenProjects = new Set<number>();
    private readonly tasks = new Map<number, Map<number, SemaphoreTask>>();
    private gate: Promise<void> = Promise.resolve();

    constructor(private readonly clock: () => number = () => 0) {}

    addTask(projectId: number, taskId: number, status: TaskStatus, templateId = 1): void {
        let project = this.tasks.get(projectId);
        if (!project) {
            project = new Map();
            this.tasks.set(projectId, project);
        }
        project.set(taskId, { id: taskId, project_id: projectId, template_id: templateId, status, tpl_alias: `Template ${templateId}`, user_name: "alice" });
    }

    setStatus(projectId: number, taskId: number, status: TaskStatus): void {
        const task = this.tasks.get(projectId)?.get(taskId);
        if (!task) {
            throw new Error(`no task ${projectId}/${taskId} in the fake`);
        }
        task.status = status;
    }

    removeTask(projectId: number, taskId: number): void {
        this.tasks.get(projectId)?.delete(taskId);
    }

    /** Calls wait (after being logged) until the returned function is called. */
    hold(): () => void {
        let release!: () => void;
        this.gate = new Promise((resolve) => (release = resolve));
        return release;
    }

    countCalls(prefix: string): number {
        return this.calls.filter((call) => call.startsWith(prefix)).length;
    }

    async getLastTasks(projectId: number, limit: number): Promise<SemaphoreTask[]> {
        await this.record(`last ${projectId}`);
        this.assertVisible(projectId);
        const tasks = [...(this.tasks.get(projectId)?.values() ?? [])];
        return tasks.sort((a, b) => b.id - a.id).slice(0, limit).map((task) => ({ ...task }));
    }

    async getTask(projectId: number, taskId: number): Promise<SemaphoreTask> {
        await this.record(`task ${projectId}/${taskId}`);
        this.assertVisible(projectId);
        const task = this.tasks.get(projectId)?.get(taskId);
        if (!task) {
            throw new SemaphoreError("not-found", `There is no task ${taskId} in project ${projectId}`, 400);
        }
        return { ...task };
    }

    private assertVisible(projectId: number): void {
        if (this.hiddenProjects.has(projectId)) {
            throw new SemaphoreError("not-found", `No project ${projectId} on Semaphore, or the bridge's user is not a member of it`, 404);
        }
    }

    private async record(call: string): Promise<void> {
        this.calls.push(call);
        this.callTimes.push(this.clock());
        await this.gate;
        if (this.failure) {
            throw this.failure;
        }
    }
}

/** What the store would answer: the test edits the lists directly. */
export class FakePollSet implements PollSetProvider {
    watched: WatchedTask[] = [];
    subscribed: number[] = [];
    /** How often the unfinished watches were read (the expensive read of a real store). */
    watchReads = 0;
    private gate: Promise<void> = Promise.resolve();

    /** Reads of the watches wait, answering what `watched` holds at the time of the call, until released. */
    hold(): () => void {
        let release!: () => void;
        this.gate = new Promise((resolve) => (release = resolve));
        return release;
    }

    async unfinishedWatchedTasks(): Promise<WatchedTask[]> {
        this.watchReads++;
        const answer = this.watched.map((task) => ({ ...task }));
        await this.gate;
        return answer;
    }

    async subscribedProjects(): Promise<number[]> {
        return [...this.subscribed];
    }
}

/** A push source the test connects and drops by hand. */
export class FakePushSource implements PushSource {
    started = false;
    stopped = false;
    reconnects = 0;
    private connected = false;

    constructor(
        readonly name: "gotify" | "semaphore",
        readonly handlers: SourceHandlers,
    ) {}

    async start(): Promise<void> {
        this.started = true;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        // Like a real source: stopping closes the connection and says so.
        this.setConnected(false);
    }

    reconnect(): void {
        this.reconnects++;
    }

    setConnected(connected: boolean): void {
        this.connected = connected;
        this.handlers.onConnectionChange(this.status());
    }

    status(): SourceStatus {
        return { name: this.name, connected: this.connected, since: null, lastEventAt: null };
    }
}
