import { performance } from "node:perf_hooks";
import { AlertStatus, renderGotifyAlert } from "../../test/fakes/semaphore/gotifyAlert";
import { NewMessage } from "../../test/fakes/gotify/GotifyStore";
import { TASK_AUTHOR, World, WorldTask } from "./World";

/** One alert Semaphore will post, already rendered so posting it costs the load generator little. */
export interface PlannedAlert {
    task: WorldTask;
    status: AlertStatus;
    message: NewMessage;
}

/**
 * Two alerts per task, as a task needing approval produces them: waiting_confirmation, then (after
 * `lag` other alerts) success, or error for every tenth task. The first makes the bridge send the
 * room a status message, the second edits it: both kinds of Matrix request are measured.
 */
export function planAlerts(world: World, tasks: readonly WorldTask[], lag = 50): PlannedAlert[] {
    const plan: PlannedAlert[] = [];
    const finish = (index: number) => plan.push(render(world, tasks[index], index % 10 === 9 ? "error" : "success"));
    tasks.forEach((task, index) => {
        plan.push(render(world, task, "waiting_confirmation"));
        if (index >= lag) finish(index - lag);
    });
    for (let index = Math.max(0, tasks.length - lag); index < tasks.length; index++) finish(index);
    return plan;
}

function render(world: World, task: WorldTask, status: AlertStatus): PlannedAlert {
    const body = renderGotifyAlert(
        {
            taskId: task.taskId,
            templateName: task.templateName,
            status,
            author: TASK_AUTHOR,
            version: null,
            link: `${world.semaphore.url}/project/${task.projectId}/templates/${task.templateId}?t=${task.taskId}`,
        },
        // Semaphore 2.20 and later: escaped values, "✅ SUCCESS" with a space.
        { jsonEscaping: true, spacedStatus: true },
    );
    return { task, status, message: JSON.parse(body) as NewMessage };
}

/**
 * Does what Semaphore does when a task changes status: saves the status (the API shows it at once),
 * then posts the alert to Gotify, which stores it and writes it to every /stream connection.
 * Returns performance.now() taken just before Gotify writes the frame, or null when Gotify is down
 * (Semaphore's single POST would fail and the alert would be lost at the source).
 */
export class AlertPoster {
    /** False while the benchmark has Gotify down. */
    gotifyUp = true;

    constructor(private readonly world: World) {}

    post(alert: PlannedAlert): number | null {
        const { projectId, taskId } = alert.task;
        // The status change happens synchronously, before the simulator's first await.
        void this.world.semaphore.setTaskStatus(projectId, taskId, alert.status);
        if (!this.gotifyUp) return null;
        const sentAt = performance.now();
        this.world.gotify.postMessage(this.world.appToken, alert.message);
        return sentAt;
    }
}
