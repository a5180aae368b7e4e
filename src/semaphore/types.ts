import { TaskStatus } from "../monitor/TaskEvent";

/** Shapes of Semaphore UI's REST API as far as the bridge uses them (PROTOCOLS.md §2). */

export interface SemaphoreProject {
    id: number;
    name: string;
    /** "Allow alerts for this project": without it Semaphore sends no Gotify alert. */
    alert: boolean;
}

export interface SemaphoreTemplate {
    id: number;
    project_id: number;
    name: string;
    description?: string | null;
    app?: string;
    type?: string;
    allow_override_args_in_task?: boolean;
    suppress_success_alerts?: boolean;
}

export interface SemaphoreTask {
    id: number;
    template_id: number;
    project_id: number;
    status: TaskStatus;
    user_id?: number | null;
    /** Present on `tasks/last` entries. */
    tpl_alias?: string;
    user_name?: string;
    created?: string;
    start?: string | null;
    end?: string | null;
    message?: string;
    version?: string | null;
}

export interface SemaphoreOutputLine {
    task_id: number;
    time: string;
    output: string;
}

/** Options of `POST /api/project/{pid}/tasks` a command may set. */
export interface StartTaskOptions {
    templateId: number;
    debug?: boolean;
    dryRun?: boolean;
    diff?: boolean;
    /** Hosts to limit the run to. */
    limit?: string[];
    tags?: string[];
    skipTags?: string[];
    /** Extra CLI arguments; Semaphore honours them only with allow_override_args_in_task. */
    arguments?: string[];
    gitBranch?: string;
    message?: string;
}

/** What the monitor needs from Semaphore: reading task state, nothing else. */
export interface TaskLookup {
    /** Throws SemaphoreError with kind "not-found" for an unknown task (Semaphore answers 400). */
    getTask(projectId: number, taskId: number): Promise<SemaphoreTask>;
    /** `GET /api/project/{pid}/tasks/last?limit=N`, newest first. */
    getLastTasks(projectId: number, limit: number): Promise<SemaphoreTask[]>;
}
