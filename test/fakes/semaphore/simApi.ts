import { ServerResponse } from "node:http";
import { TaskStatus } from "../../../src/monitor/TaskEvent";
import { atoi, decodeLikeGo, GoStruct } from "./goJson";
import { SimState, SimUser } from "./SimState";

/**
 * Semaphore's REST routes as the simulator serves them, with Semaphore's status codes:
 * bare 401 without a valid token, 404 for an unknown route or a project the user cannot see,
 * **400** for an unknown task id, 400 for a body Go cannot decode, 405 for a known path with
 * another method.
 */

export interface SimResponse {
    status: number;
    json?: unknown;
    text?: string;
}

/** What the routes need from the simulator besides its state (side effects: frames, alerts). */
export interface SimApiDeps {
    state: SimState;
    info(): Record<string, unknown>;
    startTask(projectId: number, templateId: number, user: SimUser, options: Record<string, unknown>): number;
    stopTask(projectId: number, taskId: number, force: boolean): Promise<void>;
    answerConfirmation(projectId: number, taskId: number, status: Extract<TaskStatus, "confirmed" | "rejected">): Promise<void>;
}

export interface ApiRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    rawBody: string;
    user: SimUser | undefined;
}

interface RouteContext {
    deps: SimApiDeps;
    user: SimUser;
    params: Record<string, string>;
    query: URLSearchParams;
    rawBody: string;
}

interface Route {
    method: string;
    pattern: RegExp;
    auth: boolean;
    handle(ctx: RouteContext): SimResponse | Promise<SimResponse>;
}

/** Thrown by a handler to answer at once, like a Go middleware writing a status and returning. */
class Reply {
    constructor(readonly response: SimResponse) {}
}

function fail(status: number, json?: unknown): never {
    throw new Reply({ status, json });
}

/** db.Task fields the bridge may send (Go types); unknown fields are dropped as Go drops them. */
const TASK_STRUCT: GoStruct = {
    template_id: "int",
    debug: "bool",
    dry_run: "bool",
    diff: "bool",
    playbook: "string",
    environment: "string",
    limit: "string",
    secret: "string",
    message: "string",
    git_branch: "string",
    arguments: "string",
    inventory_id: "int",
    params: "object",
};

const PROJECT = String.raw`^/api/project/(?<pid>[^/]+)`;
const TASK = String.raw`${PROJECT}/tasks/(?<id>[^/]+)`;

const ROUTES: Route[] = [
    { method: "GET", pattern: /^\/api\/ping$/, auth: false, handle: () => ({ status: 200, text: "pong" }) },
    { method: "GET", pattern: /^\/api\/info$/, auth: true, handle: (c) => ({ status: 200, json: c.deps.info() }) },
    // A plain GET of the socket route: gorilla's Upgrader refuses a request that is not a handshake.
    { method: "GET", pattern: /^\/api\/ws$/, auth: true, handle: () => ({ status: 400, text: "Bad Request\n" }) },
    { method: "GET", pattern: /^\/api\/projects$/, auth: true, handle: (c) => ({ status: 200, json: c.deps.state.visibleProjects(c.user) }) },
    {
        method: "GET",
        pattern: new RegExp(`${PROJECT}/templates$`),
        auth: true,
        handle: (c) => ({ status: 200, json: c.deps.state.templatesOf(projectOf(c)) }),
    },
    { method: "POST", pattern: new RegExp(`${PROJECT}/tasks$`), auth: true, handle: startTask },
    { method: "GET", pattern: new RegExp(`${PROJECT}/tasks/last$`), auth: true, handle: lastTasks },
    { method: "GET", pattern: new RegExp(`${TASK}$`), auth: true, handle: (c) => ({ status: 200, json: c.deps.state.taskJson(...taskOf(c)) }) },
    { method: "GET", pattern: new RegExp(`${TASK}/output$`), auth: true, handle: (c) => ({ status: 200, json: c.deps.state.outputJson(...taskOf(c)) }) },
    { method: "POST", pattern: new RegExp(`${TASK}/stop$`), auth: true, handle: stopTask },
    { method: "POST", pattern: new RegExp(`${TASK}/confirm$`), auth: true, handle: (c) => answer(c, "confirmed") },
    { method: "POST", pattern: new RegExp(`${TASK}/reject$`), auth: true, handle: (c) => answer(c, "rejected") },
];

export async function routeApi(req: ApiRequest, deps: SimApiDeps): Promise<SimResponse> {
    const matching = ROUTES.filter((r) => r.pattern.test(req.path));
    const route = matching.find((r) => r.method === req.method);
    if (!route) {
        return { status: matching.length > 0 ? 405 : 404 };
    }
    if (route.auth && !req.user) {
        return { status: 401 };
    }
    const params = { ...route.pattern.exec(req.path)?.groups };
    try {
        return await route.handle({ deps, user: req.user as SimUser, params, query: req.query, rawBody: req.rawBody });
    } catch (err) {
        if (err instanceof Reply) {
            return err.response;
        }
        throw err;
    }
}

/** Semaphore's ProjectMiddleware: 400 for a malformed id, 404 when missing or not visible. */
function projectOf(c: RouteContext): number {
    const pid = atoi(c.params.pid ?? "");
    if (pid === undefined) {
        fail(400, { error: "Invalid project ID" });
    }
    if (!c.deps.state.canSee(c.user, pid)) {
        fail(404);
    }
    return pid;
}

/** Semaphore's GetTaskMiddleware: an unknown task id is a 400, not a 404. */
function taskOf(c: RouteContext): [projectId: number, taskId: number] {
    const pid = projectOf(c);
    const id = atoi(c.params.id ?? "");
    if (id === undefined || !c.deps.state.hasTask(pid, id)) {
        fail(400);
    }
    return [pid, id];
}

function startTask(c: RouteContext): SimResponse {
    const pid = projectOf(c);
    const body = decodeLikeGo(c.rawBody, TASK_STRUCT) ?? fail(400);
    const templateId = typeof body.template_id === "number" ? body.template_id : 0;
    if (!c.deps.state.template(pid, templateId)) {
        fail(400);
    }
    const options = Object.fromEntries(Object.entries(body).filter(([k]) => k in TASK_STRUCT && k !== "template_id"));
    const id = c.deps.startTask(pid, templateId, c.user, options);
    return { status: 201, json: c.deps.state.taskJson(pid, id) };
}

/** Like Semaphore: a missing, malformed or out-of-range limit means 200. */
function lastTasks(c: RouteContext): SimResponse {
    const pid = projectOf(c);
    const asked = atoi(c.query.get("limit") ?? "");
    const limit = asked === undefined || asked <= 0 || asked > 200 ? 200 : asked;
    return { status: 200, json: c.deps.state.lastTasks(pid, limit) };
}

async function stopTask(c: RouteContext): Promise<SimResponse> {
    const [pid, id] = taskOf(c);
    const body = decodeLikeGo(c.rawBody, { force: "bool" }) ?? fail(400);
    await c.deps.stopTask(pid, id, body.force === true);
    return { status: 204 };
}

async function answer(c: RouteContext, status: "confirmed" | "rejected"): Promise<SimResponse> {
    const [pid, id] = taskOf(c);
    if (c.deps.state.status(pid, id) !== "waiting_confirmation") {
        fail(400);
    }
    await c.deps.answerConfirmation(pid, id, status);
    return { status: 204 };
}

/** Go's json.Encoder ends with a newline; bare statuses have an empty body, as Semaphore's do. */
export function sendResponse(res: ServerResponse, response: SimResponse): void {
    if (response.json !== undefined) {
        res.writeHead(response.status, { "Content-Type": "application/json" }).end(`${JSON.stringify(response.json)}\n`);
    } else if (response.text !== undefined) {
        res.writeHead(response.status, { "Content-Type": "text/plain; charset=utf-8" }).end(response.text);
    } else {
        res.writeHead(response.status).end();
    }
}
