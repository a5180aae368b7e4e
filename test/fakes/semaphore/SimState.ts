import { isFinished, TaskStatus } from "../../../src/monitor/TaskEvent";
import { SemaphoreOutputLine, SemaphoreProject, SemaphoreTask, SemaphoreTemplate } from "../../../src/semaphore/types";

/**
 * The simulator's data: users, projects, templates, tasks and their output, plus the JSON views
 * Semaphore's API gives of them. Ids come from global counters as in Semaphore's database
 * (task ids are unique across projects). No I/O here.
 */

export interface SimUser {
    id: number;
    name: string;
    /** API token of this user (`Authorization: Bearer …`). */
    token: string;
    admin: boolean;
}

interface SimProject {
    id: number;
    name: string;
    alert: boolean;
    created: string;
    memberIds: Set<number>;
}

interface SimTask {
    id: number;
    projectId: number;
    templateId: number;
    status: TaskStatus;
    userId: number | null;
    created: string;
    start: string | null;
    end: string | null;
    message: string;
    version: string | null;
    /** Start options exactly as received (`debug`, `limit`, `params`, …). */
    options: Record<string, unknown>;
    output: Array<{ time: string; output: string }>;
}

export interface TemplateSpec {
    name: string;
    allow_override_args_in_task?: boolean;
    suppress_success_alerts?: boolean;
}

/**
 * Semaphore's TaskRunner.SetStatus refuses these changes silently. Note what it does NOT refuse:
 * its Go `switch` has empty `case success:` / `case error:` arms (no fallthrough), so a finished
 * success or error task can still change status (e.g. a stop request turns it into stopped).
 */
export function semaphoreAllowsStatusChange(from: TaskStatus, to: TaskStatus): boolean {
    if (from === to || from === "stopped") {
        return false;
    }
    if (from === "confirmed" && to === "waiting_confirmation") {
        return false;
    }
    if (from === "running" && to === "waiting") {
        return false;
    }
    return !(from === "stopping" && (to === "waiting" || to === "running"));
}

export class SimState {
    private readonly users = new Map<number, SimUser>();
    private readonly projects = new Map<number, SimProject>();
    private readonly templates = new Map<number, SemaphoreTemplate & { playbook: string }>();
    private readonly tasks = new Map<number, SimTask>();
    private readonly nextId = { user: 1, project: 1, template: 1, task: 1 };

    constructor(private readonly now: () => Date) {}

    private timestamp(): string {
        return this.now().toISOString();
    }

    addUser(name: string, opts: { token?: string; admin?: boolean } = {}): SimUser {
        const user: SimUser = { id: this.nextId.user++, name, token: opts.token ?? `${name}-token`, admin: opts.admin ?? false };
        this.users.set(user.id, user);
        // Every user belongs to every project unless a test says otherwise (setMember).
        for (const project of this.projects.values()) {
            project.memberIds.add(user.id);
        }
        return user;
    }

    userByToken(token: string): SimUser | undefined {
        return [...this.users.values()].find((u) => u.token === token);
    }

    userByName(name: string): SimUser | undefined {
        return [...this.users.values()].find((u) => u.name === name);
    }

    addProject(spec: { name: string; alert?: boolean }): SemaphoreProject {
        const project: SimProject = {
            id: this.nextId.project++,
            name: spec.name,
            alert: spec.alert ?? false,
            created: this.timestamp(),
            memberIds: new Set(this.users.keys()),
        };
        this.projects.set(project.id, project);
        return this.projectJson(project);
    }

    setMember(projectId: number, userId: number, member: boolean): void {
        const members = this.requireProject(projectId).memberIds;
        if (member) {
            members.add(userId);
        } else {
            members.delete(userId);
        }
    }

    /** Members of the project see it (API and WebSocket frames); admins see every project. */
    canSee(user: SimUser, projectId: number): boolean {
        const project = this.projects.get(projectId);
        return project !== undefined && (user.admin || project.memberIds.has(user.id));
    }

    visibleProjects(user: SimUser): SemaphoreProject[] {
        return [...this.projects.values()].filter((p) => this.canSee(user, p.id)).map((p) => this.projectJson(p));
    }

    projectAlerts(projectId: number): boolean {
        return this.requireProject(projectId).alert;
    }

    addTemplate(projectId: number, spec: TemplateSpec): SemaphoreTemplate {
        this.requireProject(projectId);
        const template = {
            id: this.nextId.template++,
            project_id: projectId,
            inventory_id: 1,
            repository_id: 1,
            environment_id: 1,
            name: spec.name,
            playbook: "site.yml",
            arguments: null,
            allow_override_args_in_task: spec.allow_override_args_in_task ?? false,
            suppress_success_alerts: spec.suppress_success_alerts ?? false,
            description: "",
            type: "",
            app: "ansible",
            view_id: null,
            start_version: null,
            build_template_id: null,
            survey_vars: [],
        };
        this.templates.set(template.id, template);
        return { ...template };
    }

    template(projectId: number, templateId: number): SemaphoreTemplate | undefined {
        const template = this.templates.get(templateId);
        return template?.project_id === projectId ? { ...template } : undefined;
    }

    templatesOf(projectId: number): SemaphoreTemplate[] {
        return [...this.templates.values()].filter((t) => t.project_id === projectId).map((t) => ({ ...t }));
    }

    createTask(
        projectId: number,
        templateId: number,
        userId: number | null,
        options: Record<string, unknown>,
        version: string | null = null,
    ): number {
        const task: SimTask = {
            id: this.nextId.task++,
            projectId,
            templateId,
            status: "waiting",
            userId,
            created: this.timestamp(),
            start: null,
            end: null,
            message: typeof options.message === "string" ? options.message : "",
            version,
            options: { ...options },
            output: [],
        };
        this.tasks.set(task.id, task);
        return task.id;
    }

    hasTask(projectId: number, taskId: number): boolean {
        return this.tasks.get(taskId)?.projectId === projectId;
    }

    status(projectId: number, taskId: number): TaskStatus {
        return this.requireTask(projectId, taskId).status;
    }

    /** Applies Semaphore's guard and timestamps; false when Semaphore would have ignored the change. */
    changeStatus(projectId: number, taskId: number, status: TaskStatus): boolean {
        const task = this.requireTask(projectId, taskId);
        if (!semaphoreAllowsStatusChange(task.status, status)) {
            return false;
        }
        task.status = status;
        if (status === "running") {
            task.start = this.timestamp();
        }
        if (isFinished(status) && task.end === null) {
            task.end = this.timestamp();
        }
        return true;
    }

    appendOutput(projectId: number, taskId: number, line: string): { time: string } {
        const entry = { time: this.timestamp(), output: line };
        this.requireTask(projectId, taskId).output.push(entry);
        return { time: entry.time };
    }

    /** `GET /api/project/{pid}/tasks/{id}`: the task row (no user_name, no template name). */
    taskJson(projectId: number, taskId: number): SemaphoreTask {
        const t = this.requireTask(projectId, taskId);
        return {
            debug: false,
            dry_run: false,
            diff: false,
            playbook: "",
            environment: "",
            limit: "",
            arguments: null,
            git_branch: null,
            ...t.options,
            id: t.id,
            template_id: t.templateId,
            project_id: t.projectId,
            status: t.status,
            user_id: t.userId,
            created: t.created,
            start: t.start,
            end: t.end,
            message: t.message,
            version: t.version,
            commit_hash: null,
            commit_message: "",
        } as SemaphoreTask;
    }

    /** `tasks/last` entries: the row plus template fields and the author's name, newest first. */
    lastTasks(projectId: number, limit: number): SemaphoreTask[] {
        return [...this.tasks.values()]
            .filter((t) => t.projectId === projectId)
            .sort((a, b) => b.id - a.id)
            .slice(0, limit)
            .map((t) => {
                const template = this.templates.get(t.templateId);
                return {
                    ...this.taskJson(projectId, t.id),
                    tpl_playbook: template?.playbook ?? "",
                    tpl_alias: template?.name ?? "",
                    tpl_type: template?.type ?? "",
                    tpl_app: template?.app ?? "ansible",
                    user_name: this.authorOf(projectId, t.id),
                    build_task: null,
                } as SemaphoreTask;
            });
    }

    outputJson(projectId: number, taskId: number): Array<SemaphoreOutputLine & { task: string }> {
        return this.requireTask(projectId, taskId).output.map((o) => ({ task_id: taskId, task: "", time: o.time, output: o.output }));
    }

    authorOf(projectId: number, taskId: number): string | null {
        const userId = this.requireTask(projectId, taskId).userId;
        return userId === null ? null : (this.users.get(userId)?.name ?? null);
    }

    templateOfTask(projectId: number, taskId: number): SemaphoreTemplate {
        const template = this.templates.get(this.requireTask(projectId, taskId).templateId);
        if (!template) {
            throw new Error(`Simulator: task ${taskId} has no template`);
        }
        return template;
    }

    private projectJson(p: SimProject): SemaphoreProject {
        return { id: p.id, name: p.name, alert: p.alert, created: p.created, alert_chat: null, max_parallel_tasks: 0, type: "" } as SemaphoreProject;
    }

    private requireProject(projectId: number): SimProject {
        const project = this.projects.get(projectId);
        if (!project) {
            throw new Error(`Simulator: no project ${projectId}`);
        }
        return project;
    }

    private requireTask(projectId: number, taskId: number): SimTask {
        const task = this.tasks.get(taskId);
        if (!task || task.projectId !== projectId) {
            throw new Error(`Simulator: no task ${taskId} in project ${projectId}`);
        }
        return task;
    }
}
