import { IncomingMessage, ServerResponse, STATUS_CODES } from "node:http";
import { Duplex } from "node:stream";
import { isFinished, TaskStatus } from "../../../src/monitor/TaskEvent";
import { SemaphoreProject, SemaphoreTask, SemaphoreTemplate } from "../../../src/semaphore/types";
import { ALERT_STATUSES, AlertStatus, GotifyDelivery, GotifyTarget, postGotifyAlert } from "./gotifyAlert";
import { LoopbackServer, readBody } from "./LoopbackServer";
import { routeApi, sendResponse, SimApiDeps } from "./simApi";
import { SimSocketHub } from "./SimSocketHub";
import { RecordedRequest, SimTraffic } from "./SimTraffic";
import { SimState, SimUser, TemplateSpec } from "./SimState";

/**
 * A real HTTP + WebSocket server on 127.0.0.1 that behaves like Semaphore UI as PROTOCOLS.md
 * describes it (and as its Go sources do), for tests of everything that talks to Semaphore.
 *
 * Setup
 *   new SemaphoreSimulator({ apiToken = "sem-token", wsPingMs = 54000, webHost, gotify, version,
 *                            stopDelayMs = 20, now })
 *     webHost: undefined = the simulator's own url; null = none (alert links become relative paths).
 *     gotify: { url, appToken, jsonEscaping?, spacedStatus? } — where alerts go (see gotifyAlert.ts).
 *   start(port = 0) / stop(); url = "http://127.0.0.1:PORT"
 *   apiUser — the user of apiToken ("bridge", not admin, member of every project)
 *   addUser(name, {token = `${name}-token`, admin}) → SimUser; setMember(pid, userName, member)
 *   addProject({name, alert = false}) → project (ids 1, 2, …)
 *   addTemplate(pid, {name, allow_override_args_in_task, suppress_success_alerts}) → template
 *
 * Driving tasks (as Semaphore's UI and runner would)
 *   createTask(pid, tplId, {userName?, message?, version?}) → task in status waiting, like a task
 *     started in Semaphore's UI: userName undefined = apiUser, null = no author (a schedule),
 *     unknown names become users. Logs "Task N added to queue" and sends an `update` frame.
 *   setTaskStatus(pid, tid, status) → Promise<boolean>: applies Semaphore's own status guard
 *     (false = Semaphore would have ignored it: same status, anything after stopped, running→waiting…;
 *     note success/error CAN still change, a Go quirk), sets start (running) / end (finished),
 *     sends an `update` frame to /api/ws clients of members, and for success/error/
 *     waiting_confirmation POSTs the Gotify alert when gotify is set, the project has alert=true
 *     and the template does not suppress success alerts. Resolves after the POST.
 *   appendOutput(pid, tid, line) — output line + `log` frame
 *   task(pid, tid) — the task as `GET …/tasks/{id}` shows it
 *
 * API (Bearer token of any user; otherwise a bare 401): GET /api/ping ("pong", no auth), /api/info,
 *   /api/projects, /api/project/{pid}/templates, POST …/tasks (201; bad JSON, wrong field types or
 *   an unknown template_id → 400), GET …/tasks/last?limit=N (newest first, ≤200, default 200),
 *   GET …/tasks/{id} (unknown → 400), …/output, POST …/stop (JSON body with force; empty → 400;
 *   204, then stopping → stopped after stopDelayMs, or stopped at once with force or when finished),
 *   POST …/confirm|reject (only in waiting_confirmation, else 400; 204). Unknown route → 404;
 *   project not visible → 404. GET /api/ws: WebSocket, 401 before the upgrade without a token.
 *
 * Observing and breaking it
 *   requests — every HTTP request incl. WebSocket handshakes: {method, path, query, body, auth}
 *   gotifyDeliveries — every alert POST: {status (null = unreachable), body (the JSON text)}
 *   connectedSockets, dropSockets() — WebSocket clients; cut them all without a close frame
 *   failNext(method | "*", pathRegex, status, times = 1) — answer matching requests with a bare status
 *   setDown(true|false) — refuse connections (listener closed, state kept) / listen again on the same port
 *   setLatency(ms) — delay every answer
 */

export interface SemaphoreSimulatorOptions {
    apiToken?: string;
    wsPingMs?: number;
    webHost?: string | null;
    gotify?: GotifyTarget;
    /** `version` of GET /api/info. */
    version?: string;
    /** Time between `stopping` and `stopped` after a stop request without force. */
    stopDelayMs?: number;
    now?: () => Date;
}

export type { RecordedRequest };

export class SemaphoreSimulator {
    readonly gotifyDeliveries: GotifyDelivery[] = [];
    readonly apiUser: SimUser;

    private readonly state: SimState;
    private readonly hub: SimSocketHub;
    private readonly server: LoopbackServer;
    private readonly deps: SimApiDeps;
    private readonly traffic = new SimTraffic();
    private readonly timers = new Set<NodeJS.Timeout>();
    private latencyMs = 0;

    constructor(private readonly opts: SemaphoreSimulatorOptions = {}) {
        this.state = new SimState(opts.now ?? (() => new Date()));
        this.apiUser = this.state.addUser("bridge", { token: opts.apiToken ?? "sem-token" });
        this.hub = new SimSocketHub(opts.wsPingMs ?? 54000);
        this.server = new LoopbackServer(
            (req, res) => void this.onRequest(req, res),
            (req, socket, head) => void this.onUpgrade(req, socket, head),
        );
        this.deps = {
            state: this.state,
            info: () => ({ version: opts.version ?? "v2.10.31", ansible: "ansible [core 2.16.3]", web_host: this.webHost(), use_remote_runner: false }),
            startTask: (pid, tpl, user, options) => this.queueTask(pid, tpl, user.id, options, null),
            stopTask: (pid, tid, force) => this.stopTask(pid, tid, force),
            answerConfirmation: async (pid, tid, status) => void (await this.setTaskStatus(pid, tid, status)),
        };
    }

    get url(): string {
        return `http://127.0.0.1:${this.server.port}`;
    }

    /** Every HTTP request so far, WebSocket handshakes included. */
    get requests(): RecordedRequest[] {
        return this.traffic.requests;
    }

    get connectedSockets(): number {
        return this.hub.connectedCount;
    }

    start(port = 0): Promise<void> {
        return this.server.listen(port);
    }

    async stop(): Promise<void> {
        for (const timer of this.timers) {
            clearTimeout(timer);
        }
        this.timers.clear();
        this.hub.close();
        await this.server.close();
    }

    async setDown(down: boolean): Promise<void> {
        if (down) {
            this.hub.dropAll();
            await this.server.close();
        } else if (!this.server.listening) {
            await this.server.listen();
        }
    }

    setLatency(ms: number): void {
        this.latencyMs = ms;
    }

    failNext(method: string, path: RegExp, status: number, times = 1): void {
        this.traffic.failNext(method, path, status, times);
    }

    dropSockets(): void {
        this.hub.dropAll();
    }

    addUser(name: string, opts: { token?: string; admin?: boolean } = {}): SimUser {
        return this.state.addUser(name, opts);
    }

    setMember(projectId: number, userName: string, member: boolean): void {
        const user = this.state.userByName(userName);
        if (!user) {
            throw new Error(`Simulator: no user ${userName}`);
        }
        this.state.setMember(projectId, user.id, member);
    }

    addProject(project: { name: string; alert?: boolean }): SemaphoreProject {
        return this.state.addProject(project);
    }

    addTemplate(projectId: number, template: TemplateSpec): SemaphoreTemplate {
        return this.state.addTemplate(projectId, template);
    }

    createTask(projectId: number, templateId: number, opts: { userName?: string | null; message?: string; version?: string } = {}): SemaphoreTask {
        if (!this.state.template(projectId, templateId)) {
            throw new Error(`Simulator: no template ${templateId} in project ${projectId}`);
        }
        const userId = opts.userName === undefined ? this.apiUser.id : opts.userName === null ? null : this.userNamed(opts.userName).id;
        const options = opts.message === undefined ? {} : { message: opts.message };
        const id = this.queueTask(projectId, templateId, userId, options, opts.version ?? null);
        return this.state.taskJson(projectId, id);
    }

    async setTaskStatus(projectId: number, taskId: number, status: TaskStatus): Promise<boolean> {
        if (!this.state.changeStatus(projectId, taskId, status)) {
            return false;
        }
        this.emitUpdate(projectId, taskId);
        if (ALERT_STATUSES.includes(status)) {
            await this.sendAlert(projectId, taskId, status as AlertStatus);
        }
        return true;
    }

    appendOutput(projectId: number, taskId: number, line: string): void {
        const { time } = this.state.appendOutput(projectId, taskId, line);
        this.toMembers(projectId, { type: "log", output: line, time, task_id: taskId, project_id: projectId });
    }

    task(projectId: number, taskId: number): SemaphoreTask {
        return this.state.taskJson(projectId, taskId);
    }

    /** Semaphore's pool logs the queueing, then saves the status: a `log` then an `update` frame. */
    private queueTask(projectId: number, templateId: number, userId: number | null, options: Record<string, unknown>, version: string | null): number {
        const id = this.state.createTask(projectId, templateId, userId, options, version);
        this.appendOutput(projectId, id, `Task ${id} added to queue`);
        this.emitUpdate(projectId, id);
        return id;
    }

    private emitUpdate(projectId: number, taskId: number): void {
        const t = this.state.taskJson(projectId, taskId);
        this.toMembers(projectId, {
            type: "update",
            start: t.start,
            end: t.end,
            status: t.status,
            task_id: t.id,
            template_id: t.template_id,
            project_id: t.project_id,
            version: t.version,
        });
    }

    /** Like Semaphore, frames reach only the users who may see the project. */
    private toMembers(projectId: number, frame: object): void {
        this.hub.broadcast(frame, (user) => this.state.canSee(user, projectId));
    }

    private async sendAlert(projectId: number, taskId: number, status: AlertStatus): Promise<void> {
        const target = this.opts.gotify;
        const template = this.state.templateOfTask(projectId, taskId);
        if (!target || !this.state.projectAlerts(projectId) || (status === "success" && template.suppress_success_alerts)) {
            return;
        }
        const delivery = await postGotifyAlert(target, {
            taskId,
            templateName: template.name,
            status,
            author: this.state.authorOf(projectId, taskId),
            version: this.state.taskJson(projectId, taskId).version ?? null,
            link: `${this.webHost()}/project/${projectId}/templates/${template.id}?t=${taskId}`,
        });
        this.gotifyDeliveries.push(delivery);
    }

    /** Semaphore's web_host: our own URL unless set; "" (relative links) when null. */
    private webHost(): string {
        return this.opts.webHost === undefined ? this.url : (this.opts.webHost ?? "");
    }

    /** Semaphore's TaskPool.StopTask: finished or forced → stopped now; otherwise stopping, later stopped. */
    private async stopTask(projectId: number, taskId: number, force: boolean): Promise<void> {
        if (force || isFinished(this.state.status(projectId, taskId))) {
            await this.setTaskStatus(projectId, taskId, "stopped");
            return;
        }
        await this.setTaskStatus(projectId, taskId, "stopping");
        this.later(() => void this.setTaskStatus(projectId, taskId, "stopped"), this.opts.stopDelayMs ?? 20);
    }

    private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
        try {
            const url = new URL(req.url ?? "/", "http://simulator");
            const method = req.method ?? "GET";
            const rawBody = await readBody(req);
            this.traffic.record(req, url, rawBody);
            await this.sleep(this.latencyMs);
            const injected = this.traffic.takeFailure(method, url.pathname);
            if (injected !== undefined) {
                sendResponse(res, { status: injected });
                return;
            }
            const user = this.authenticate(req);
            sendResponse(res, await routeApi({ method, path: url.pathname, query: url.searchParams, rawBody, user }, this.deps));
        } catch {
            sendResponse(res, { status: 500 });
        }
    }

    /** `GET /api/ws`: refused with a plain HTTP status before the upgrade, as Semaphore does. */
    private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
        const url = new URL(req.url ?? "/", "http://simulator");
        this.traffic.record(req, url, "");
        await this.sleep(this.latencyMs);
        const user = this.authenticate(req);
        const refusal = this.traffic.takeFailure("GET", url.pathname) ?? (url.pathname !== "/api/ws" ? 404 : user ? undefined : 401);
        if (refusal === undefined && user) {
            this.hub.accept(req, socket, head, user);
            return;
        }
        const status = refusal ?? 401;
        socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    }

    private authenticate(req: IncomingMessage): SimUser | undefined {
        const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
        return match ? this.state.userByToken(match[1]) : undefined;
    }

    private userNamed(name: string): SimUser {
        return this.state.userByName(name) ?? this.state.addUser(name);
    }

    private later(fn: () => void, ms: number): void {
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            fn();
        }, ms);
        this.timers.add(timer);
    }

    private sleep(ms: number): Promise<void> {
        return ms > 0 ? new Promise((resolve) => this.later(resolve, ms)) : Promise.resolve();
    }
}
