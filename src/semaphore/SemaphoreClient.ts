import { performance } from "node:perf_hooks";
import { Logger } from "matrix-appservice-bridge";
import { SemaphoreConfig } from "../config/Config";
import { HttpClient, succeeded } from "../net/HttpClient";
import { answerFailure, displayUrl, FailureContext, toSemaphoreError, unreadableAnswer } from "./failures";
import { requireId } from "./ids";
import {
    readInfo,
    readOutput,
    readProjects,
    readTask,
    readTaskList,
    readTemplates,
    SemaphoreInfo,
} from "./responses";
import { startTaskBody } from "./startTaskBody";
import { SemaphoreOutputLine, SemaphoreProject, SemaphoreTask, SemaphoreTemplate, StartTaskOptions, TaskLookup } from "./types";

const log = new Logger("SemaphoreClient");

export type RequestOutcome = "ok" | "error";

export interface SemaphoreClientOptions {
    /** Called once per call (retries included). `endpoint` is a route template such as `GET /api/project/:pid/tasks/:id`. */
    onRequest?(endpoint: string, outcome: RequestOutcome, ms: number): void;
    /** Extra attempts of a GET after a network error or a 5xx. Default 2. POSTs are never repeated. */
    retries?: number;
    /** Delay before the first retry, doubled for each further one. Default 250 ms. */
    retryDelayMs?: number;
}

/** `GET /api/project/{pid}/tasks/last` accepts 1..200 (Semaphore silently uses 200 otherwise). */
export const MAX_LAST_TASKS = 200;

/** One request: everything needed to send it, label it for metrics and explain its failure. */
interface Call<T> {
    method: "GET" | "POST";
    /** Route template with `:pid` / `:id` placeholders; doubles as the metrics label. */
    route: string;
    pid?: number;
    id?: number;
    query?: Record<string, number>;
    body?: unknown;
    /** false for the one unauthenticated route, /api/ping. */
    auth?: boolean;
    /** false: one attempt only, even for a GET. */
    retry?: boolean;
    action: string;
    byStatus?: FailureContext["byStatus"];
    /** Checks the answer's shape (undefined = unreadable); absent when the body does not matter. */
    read?(data: unknown): T | undefined;
}

/** REST client of Semaphore UI (PROTOCOLS.md §2). Every failure is a SemaphoreError. */
export class SemaphoreClient implements TaskLookup {
    private readonly http: HttpClient;
    private readonly baseUrl: string;
    private readonly authHeader: Record<string, string>;

    constructor(
        private readonly config: SemaphoreConfig,
        private readonly options: SemaphoreClientOptions = {},
    ) {
        this.baseUrl = displayUrl(config.url);
        // The token travels in a header only: never in a URL, where it would end up in access logs.
        this.authHeader = { Authorization: `Bearer ${config.apiToken}` };
        this.http = new HttpClient({
            baseUrl: config.url,
            timeoutMs: config.requestTimeoutMs,
            tls: config,
            retries: options.retries ?? 2,
            retryDelayMs: options.retryDelayMs ?? 250,
        });
    }

    /** `GET /api/ping` (no auth): true when Semaphore answers "pong". Never throws. */
    async ping(): Promise<boolean> {
        try {
            return await this.call({
                method: "GET",
                route: "/api/ping",
                auth: false,
                // A health check should say "down" promptly rather than retry its way past the problem.
                retry: false,
                action: "checking that Semaphore is up",
                read: (data) => (typeof data === "string" && data.trim() === "pong" ? true : undefined),
            });
        } catch {
            return false;
        }
    }

    async info(): Promise<SemaphoreInfo> {
        return this.call({ method: "GET", route: "/api/info", action: "reading Semaphore's version", read: readInfo });
    }

    /** Projects the bridge's user is a member of (all of them for an admin). */
    async listProjects(): Promise<SemaphoreProject[]> {
        return this.call({ method: "GET", route: "/api/projects", action: "listing projects", read: readProjects });
    }

    async listTemplates(projectId: number): Promise<SemaphoreTemplate[]> {
        const pid = requireId(projectId, "project");
        return this.call({
            method: "GET",
            route: "/api/project/:pid/templates",
            pid,
            action: `listing the templates of project ${pid}`,
            byStatus: { 404: missingProject(pid) },
            read: readTemplates,
        });
    }

    /** Starts a task; Semaphore answers 201 with the task in status `waiting`. */
    async startTask(projectId: number, options: StartTaskOptions): Promise<SemaphoreTask> {
        const pid = requireId(projectId, "project");
        const { templateId, ...rest } = options;
        const tpl = requireId(templateId, "template");
        return this.call({
            method: "POST",
            route: "/api/project/:pid/tasks",
            pid,
            body: startTaskBody(tpl, rest),
            action: "starting the task",
            byStatus: {
                400: {
                    kind: "rejected",
                    message:
                        `Semaphore refused to start template ${tpl} in project ${pid} (HTTP 400): ` +
                        "check that the template exists and accepts these options",
                },
                404: { kind: "not-found", message: `No template ${tpl} in project ${pid} (or no project ${pid} the bridge can see)` },
            },
            read: readTask,
        });
    }

    /** Throws SemaphoreError "not-found" for an unknown task (Semaphore answers 400 for it). */
    async getTask(projectId: number, taskId: number): Promise<SemaphoreTask> {
        return this.taskCall("GET", "", projectId, taskId, (pid, id) => `reading task ${id} in project ${pid}`, readTask);
    }

    /** All output lines so far, ANSI colour codes included. */
    async getTaskOutput(projectId: number, taskId: number): Promise<SemaphoreOutputLine[]> {
        const action = (pid: number, id: number) => `reading the output of task ${id} in project ${pid}`;
        return this.taskCall("GET", "/output", projectId, taskId, action, readOutput);
    }

    /** Newest first; `limit` is clamped to 1..200. One request covers a whole project. */
    async getLastTasks(projectId: number, limit: number): Promise<SemaphoreTask[]> {
        const pid = requireId(projectId, "project");
        const result = await this.call({
            method: "GET",
            route: "/api/project/:pid/tasks/last",
            pid,
            query: { limit: clampLimit(limit) },
            action: `listing the recent tasks of project ${pid}`,
            byStatus: { 404: missingProject(pid) },
            read: readTaskList,
        });
        if (result.skipped > 0) {
            log.warn(`Ignored ${result.skipped} task(s) of project ${pid} with a status this bridge does not know`);
        }
        return result.tasks;
    }

    /** `force` kills at once; otherwise the task goes through `stopping`. */
    async stopTask(projectId: number, taskId: number, force = false): Promise<void> {
        // Semaphore decodes the body as JSON: an empty body is a 400.
        const action = (pid: number, id: number) => `stopping task ${id} in project ${pid}`;
        return this.taskCall<void>("POST", "/stop", projectId, taskId, action, undefined, { force });
    }

    async confirmTask(projectId: number, taskId: number): Promise<void> {
        return this.answerConfirmation("confirm", projectId, taskId);
    }

    async rejectTask(projectId: number, taskId: number): Promise<void> {
        return this.answerConfirmation("reject", projectId, taskId);
    }

    private async answerConfirmation(answer: "confirm" | "reject", projectId: number, taskId: number): Promise<void> {
        const pid = requireId(projectId, "project");
        const id = requireId(taskId, "task");
        return this.call<void>({
            method: "POST",
            route: `/api/project/:pid/tasks/:id/${answer}`,
            pid,
            id,
            action: `answering the confirmation of task ${id} in project ${pid}`,
            byStatus: {
                // Semaphore says 400 both for an unknown task and for one that is not waiting.
                400: { kind: "rejected", message: `Task ${id} in project ${pid} is not waiting for confirmation (or does not exist)` },
                404: missingProject(pid),
            },
        });
    }

    /** A call on `/api/project/{pid}/tasks/{id}{suffix}`, where 400 means "no such task". */
    private async taskCall<T>(
        method: "GET" | "POST",
        suffix: string,
        projectId: number,
        taskId: number,
        action: (pid: number, id: number) => string,
        read?: (data: unknown) => T | undefined,
        body?: unknown,
    ): Promise<T> {
        const pid = requireId(projectId, "project");
        const id = requireId(taskId, "task");
        const missing = { kind: "not-found" as const, message: `No task ${id} in project ${pid}` };
        return this.call({
            method,
            route: `/api/project/:pid/tasks/:id${suffix}`,
            pid,
            id,
            body,
            action: action(pid, id),
            byStatus: { 400: missing, 404: missing },
            read,
        });
    }

    private async call<T>(call: Call<T>): Promise<T> {
        const endpoint = `${call.method} ${call.route}`;
        const failure: FailureContext = {
            baseUrl: this.baseUrl,
            timeoutMs: this.config.requestTimeoutMs,
            action: call.action,
            byStatus: call.byStatus,
        };
        const started = performance.now();
        try {
            const answer = await this.http.request({
                method: call.method,
                path: call.route.replace(":pid", String(call.pid)).replace(":id", String(call.id)),
                query: call.query,
                body: call.body,
                headers: call.auth === false ? {} : this.authHeader,
                retry: call.retry,
            });
            if (!succeeded(answer)) {
                throw answerFailure(answer.status, failure);
            }
            const result = call.read ? call.read(answer.data) : undefined;
            if (call.read && result === undefined) {
                throw unreadableAnswer(failure, answer.status);
            }
            this.report(endpoint, "ok", started);
            return result as T;
        } catch (err) {
            this.report(endpoint, "error", started);
            const error = toSemaphoreError(err, failure);
            log.warn(`${endpoint} failed: ${error.kind}${error.status ? ` (HTTP ${error.status})` : ""}`);
            throw error;
        }
    }

    private report(endpoint: string, outcome: RequestOutcome, started: number): void {
        try {
            this.options.onRequest?.(endpoint, outcome, performance.now() - started);
        } catch (err) {
            // Metrics must never break a Semaphore call.
            log.warn(`onRequest hook failed: ${(err as Error).message}`);
        }
    }
}

function clampLimit(limit: number): number {
    if (Number.isNaN(limit)) {
        return MAX_LAST_TASKS;
    }
    return Math.min(MAX_LAST_TASKS, Math.max(1, Math.trunc(limit)));
}

function missingProject(pid: number) {
    return { kind: "not-found" as const, message: `No project ${pid} on Semaphore, or the bridge's user is not a member of it` };
}

export type { SemaphoreInfo };
