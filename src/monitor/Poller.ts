import { Logger } from "matrix-appservice-bridge";
import { SemaphoreTask, TaskLookup } from "../semaphore/types";
import { Scheduler, realScheduler } from "../net/Scheduler";
import { SourceStatus } from "./EventSource";
import { PollHealth } from "./PollHealth";
import { PollSetProvider, TaskEventSink, WatchedTask } from "./PollSet";
import { SubscriptionFollower } from "./SubscriptionFollower";
import { TaskRef, TaskStatus, isFinished, taskKey } from "./TaskEvent";
import { Ticker } from "./Ticker";
import { taskEventFromApi } from "./apiTaskEvent";
import { forEachLimited } from "./forEachLimited";
import { NotYetRunningTasks } from "./NotYetRunningTasks";
import { ProjectWindows } from "./ProjectWindows";
import { describeError, isUnauthorized, isUnknownTask } from "./semaphoreFailures";

const log = new Logger("Poller");

export interface PollerOptions {
    lookup: TaskLookup;
    pollSet: PollSetProvider;
    monitor: TaskEventSink;
    /** A polled task Semaphore no longer knows (deleted). Called once per task. */
    onTaskGone?: (ref: TaskRef) => void | Promise<void>;
    /** Polling started failing or works again. */
    onStatusChange?: (status: SourceStatus) => void;
    /** Semaphore rejected the API token; called once per outage. */
    onAuthFailure?: (message: string) => void;
    scheduler?: Scheduler;
    /** Tasks per `tasks/last` request; Semaphore allows at most 200. */
    windowSize?: number;
    /** Longest wait between polls while Semaphore fails. */
    maxBackoffMs?: number;
    /** Projects polled at the same time. */
    concurrency?: number;
}

/** Marks a task Semaphore says does not exist (it answers 400 for an unknown id). */
const GONE = Symbol("gone");

/**
 * Reads task statuses from Semaphore's API: one `tasks/last` request per project per poll, never
 * one per task; a watched task older than that window is fetched on its own. Every status found
 * goes to the monitor, which drops what is not news.
 *
 * Two loops, driven by the SourceManager: full polls every `start(intervalMs)` (watched tasks and
 * subscribed projects, read from the store), and fast polls every `startFast(intervalMs)` of only
 * the projects with a watched task not yet running — known from memory, filled by full polls and
 * `noteWatch`, so a fast poll reads nothing from the store. Polls never overlap; while Semaphore
 * fails both loops back off.
 */
export class Poller {
    private readonly scheduler: Scheduler;
    private readonly windows: ProjectWindows;
    private readonly concurrency: number;
    private readonly health: PollHealth;
    private readonly follower = new SubscriptionFollower();
    private readonly notYetRunning: NotYetRunningTasks;
    /** Watched tasks reported gone; kept only while still watched, so each is reported once. */
    private gone = new Set<string>();
    private readonly fullTicker: Ticker;
    private readonly fastTicker: Ticker;
    private intervalMs = 0;
    private fastIntervalMs = 0;
    /** Polls run one after the other on this chain. */
    private queue: Promise<void> = Promise.resolve();
    private queuedOrRunning = 0;
    /** A full poll requested but not started yet: later requests share it. */
    private pendingFullPoll: Promise<void> | null = null;

    constructor(private readonly options: PollerOptions) {
        this.scheduler = options.scheduler ?? realScheduler;
        this.windows = new ProjectWindows(options.lookup, options.windowSize ?? 200);
        this.concurrency = options.concurrency ?? 4;
        this.notYetRunning = new NotYetRunningTasks((task) => this.knownStatus(task));
        this.health = new PollHealth(this.scheduler, options.maxBackoffMs ?? 300_000, (status) => options.onStatusChange?.(status));
        this.fullTicker = new Ticker(this.scheduler, () => this.pollOnce(), () => this.health.delay(this.intervalMs));
        this.fastTicker = new Ticker(this.scheduler, () => this.fastPollUnlessBusy(), () => this.health.delay(this.fastIntervalMs));
    }

    /** Full polls every `intervalMs` from now on (restarts the loop when already running). */
    start(intervalMs: number): void {
        this.intervalMs = intervalMs;
        this.fullTicker.start();
    }

    /** Polls projects with watched tasks still waiting/starting every `intervalMs` until they run. */
    startFast(intervalMs: number): void {
        this.fastIntervalMs = intervalMs;
        this.fastTicker.start();
    }

    /** Stops both loops and waits for a poll in flight. */
    async stop(): Promise<void> {
        this.fullTicker.stop();
        this.fastTicker.stop();
        await this.queue;
    }

    status(): SourceStatus {
        return this.health.status();
    }

    /**
     * One full poll, after the one in flight (which may have read the poll set too early).
     * Requests made before it starts share it: a burst of reconcile requests costs one poll.
     */
    pollOnce(): Promise<void> {
        if (this.pendingFullPoll) {
            return this.pendingFullPoll;
        }
        const poll = this.enqueue(() => {
            this.pendingFullPoll = null;
            return this.fullPoll();
        });
        this.pendingFullPoll = poll;
        return poll;
    }

    /**
     * A room started watching a task (its watch is stored); `lastStatus` is what the API just said,
     * if anything. Until the task is known to run, fast polls include its project.
     */
    noteWatch(task: WatchedTask): void {
        this.notYetRunning.add(task);
    }

    private enqueue(job: () => Promise<void>): Promise<void> {
        this.queuedOrRunning++;
        const run = this.queue.then(job).finally(() => this.queuedOrRunning--);
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async fastPollUnlessBusy(): Promise<void> {
        // A full poll in flight or queued covers these projects anyway.
        if (this.queuedOrRunning === 0) {
            await this.enqueue(() => this.fastPoll());
        }
    }

    private async fullPoll(): Promise<void> {
        const mark = this.notYetRunning.mark();
        const pollSet = await this.readPollSet();
        if (!pollSet) {
            return;
        }
        this.notYetRunning.replace([...pollSet.tasksByProject.values()].flat(), mark);
        const projects = new Set([...pollSet.tasksByProject.keys(), ...pollSet.subscribed]);
        await this.pollProjects(projects, pollSet.tasksByProject);
    }

    /** Only the tasks not yet running: with none, no request at all. */
    private async fastPoll(): Promise<void> {
        const tasksByProject = this.notYetRunning.byProject();
        await this.pollProjects(new Set(tasksByProject.keys()), tasksByProject);
    }

    /** Unfinished watched tasks by project, minus those known finished or gone. */
    private async readPollSet(): Promise<{ tasksByProject: Map<number, WatchedTask[]>; subscribed: number[] } | null> {
        let watched: WatchedTask[];
        let subscribed: number[];
        try {
            [watched, subscribed] = await Promise.all([this.options.pollSet.unfinishedWatchedTasks(), this.options.pollSet.subscribedProjects()]);
        } catch (err) {
            log.error("Could not read the tasks to poll from the store", err);
            return null;
        }
        const watchedKeys = new Set(watched.map(taskKey));
        this.gone = new Set([...this.gone].filter((key) => watchedKeys.has(key)));
        this.follower.setSubscribedProjects(subscribed);
        const tasksByProject = new Map<number, WatchedTask[]>();
        for (const task of watched) {
            const status = this.knownStatus(task);
            if (this.gone.has(taskKey(task)) || (status !== undefined && isFinished(status))) {
                continue;
            }
            const tasks = tasksByProject.get(task.projectId) ?? [];
            tasks.push(task);
            tasksByProject.set(task.projectId, tasks);
        }
        return { tasksByProject, subscribed };
    }

    private knownStatus(task: WatchedTask): TaskStatus | undefined {
        return this.options.monitor.lastKnownStatus(task) ?? task.lastStatus;
    }

    private async pollProjects(projects: Set<number>, tasksByProject: Map<number, WatchedTask[]>): Promise<void> {
        if (projects.size === 0) {
            return;
        }
        let firstError: unknown = null;
        await forEachLimited([...projects], this.concurrency, async (projectId) => {
            try {
                await this.pollProject(projectId, tasksByProject.get(projectId) ?? []);
            } catch (err) {
                firstError ??= err;
            }
        });
        if (firstError === null) {
            this.health.recordSuccess();
        } else if (this.health.recordFailure(firstError) && isUnauthorized(firstError)) {
            this.options.onAuthFailure?.(describeError(firstError));
        }
    }

    /** Throws when Semaphore failed; statuses found before the failure are delivered. */
    private async pollProject(projectId: number, watched: WatchedTask[]): Promise<void> {
        const window = await this.windows.fetch(projectId);
        if (!window) {
            return;
        }
        const inWindow = new Map(window.map((task) => [task.id, task]));
        const found = new Map<number, SemaphoreTask>();
        const wanted = new Set([...watched.map((task) => task.taskId), ...this.follower.followedTaskIds(projectId)]);
        for (const taskId of wanted) {
            const ref = { projectId, taskId };
            const task = inWindow.get(taskId) ?? (await this.fetchTask(ref));
            if (task === GONE) {
                await this.reportGone(ref);
            } else {
                found.set(taskId, task);
            }
        }
        for (const task of this.follower.takeNewTasks(projectId, window)) {
            found.set(task.id, task);
        }
        for (const task of [...found.values()].sort((a, b) => a.id - b.id)) {
            this.follower.noteStatus(projectId, task);
            await this.emit(projectId, task);
        }
    }

    private async fetchTask(ref: TaskRef): Promise<SemaphoreTask | typeof GONE> {
        try {
            return await this.options.lookup.getTask(ref.projectId, ref.taskId);
        } catch (err) {
            if (isUnknownTask(err)) {
                return GONE;
            }
            throw err;
        }
    }

    private async reportGone(ref: TaskRef): Promise<void> {
        this.follower.forget(ref.projectId, ref.taskId);
        this.notYetRunning.delete(ref);
        const key = taskKey(ref);
        if (this.gone.has(key)) {
            return;
        }
        this.gone.add(key);
        log.info(`Task ${key} no longer exists in Semaphore`);
        try {
            await this.options.onTaskGone?.(ref);
        } catch (err) {
            log.error(`Handling the disappearance of task ${key} failed`, err);
        }
    }

    /** Delivery failures are not Semaphore's: the monitor forgets the status and the next poll retries. */
    private async emit(projectId: number, task: SemaphoreTask): Promise<void> {
        const event = taskEventFromApi(projectId, task, "poll", this.scheduler.now());
        if (!event) {
            log.debug(`Ignoring task ${projectId}/${task.id} with unknown status ${String(task.status)}`);
            return;
        }
        this.health.noteEvent();
        try {
            await this.options.monitor.accept(event);
        } catch (err) {
            log.warn(`Delivering the status of task ${taskKey(event)} failed; the next poll retries`, err);
        }
    }
}
