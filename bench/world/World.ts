import { GotifySimulator } from "../../test/fakes/gotify/GotifySimulator";
import { SemaphoreSimulator } from "../../test/fakes/semaphore/SemaphoreSimulator";
import { TaskWatch } from "../../src/store/TaskRoomStore";

/** A task of the benchmark: it exists in Semaphore, is running, and one room watches it. */
export interface WorldTask {
    projectId: number;
    taskId: number;
    templateId: number;
    templateName: string;
    roomId: string;
}

export interface WorldSpec {
    /** The rooms that watch tasks, in turn. */
    roomIds: readonly string[];
    /** Semaphore lists at most 200 tasks per `tasks/last`: keep tasks per project under that. */
    projects: number;
    templatesPerProject?: number;
    tasks: number;
}

const API_TOKEN = "bench-semaphore-token";
/** Who started every task (Semaphore user) and asked to watch it (Matrix user, mentioned when it finishes). */
export const TASK_AUTHOR = "bench-operator";

/**
 * The Semaphore and Gotify the bridge talks to during a benchmark, both the project's simulators on
 * loopback: projects with templates, `tasks` running tasks spread over them, and a Gotify with the
 * Semaphore application. Alerts are posted by AlertPoster, as Semaphore would post them.
 */
export class World {
    readonly tasks: WorldTask[] = [];
    readonly appToken: string;
    readonly clientToken: string;

    private constructor(
        readonly semaphore: SemaphoreSimulator,
        readonly gotify: GotifySimulator,
    ) {
        this.appToken = gotify.createApplication("Semaphore").token;
        this.clientToken = gotify.createClient();
    }

    static async create(spec: WorldSpec): Promise<World> {
        // No `gotify` target: AlertPoster writes the alerts itself, so it knows the moment each one is sent.
        const semaphore = new SemaphoreSimulator({ apiToken: API_TOKEN });
        const gotify = new GotifySimulator();
        await Promise.all([semaphore.start(), gotify.start()]);
        const world = new World(semaphore, gotify);
        world.populate(spec);
        return world;
    }

    private populate(spec: WorldSpec): void {
        const templates = spec.templatesPerProject ?? 3;
        const projects = Array.from({ length: spec.projects }, (_, p) => {
            const project = this.semaphore.addProject({ name: `Project ${p + 1}`, alert: true });
            const projectTemplates = Array.from({ length: templates }, (_, t) => this.semaphore.addTemplate(project.id, { name: `Deploy service ${p + 1}.${t + 1}` }));
            return { id: project.id, templates: projectTemplates };
        });
        for (let i = 0; i < spec.tasks; i++) {
            const project = projects[i % projects.length];
            const template = project.templates[Math.floor(i / projects.length) % project.templates.length];
            const task = this.semaphore.createTask(project.id, template.id, { userName: TASK_AUTHOR });
            void this.semaphore.setTaskStatus(project.id, task.id, "running");
            const roomId = spec.roomIds[i % spec.roomIds.length];
            this.tasks.push({ projectId: project.id, taskId: task.id, templateId: template.id, templateName: template.name, roomId });
        }
    }

    /** One watch per task, as `!cd watch` leaves it once the room was told the task is running. */
    watches(requestedBy: string, createdAt = Date.now()): TaskWatch[] {
        return this.tasks.map((task) => ({ ...task, requestedBy, lastStatus: "running", finished: false, createdAt }));
    }

    /** The config sections that point the bridge at this world. */
    configSections(): Record<string, unknown> {
        return {
            semaphore: { url: this.semaphore.url, apiToken: API_TOKEN, requestTimeoutMs: 10_000 },
            gotify: { url: this.gotify.url, clientToken: this.clientToken, appToken: this.appToken },
        };
    }

    async stop(): Promise<void> {
        await Promise.all([this.semaphore.stop(), this.gotify.stop()]);
    }
}
