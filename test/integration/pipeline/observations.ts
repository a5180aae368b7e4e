import { TaskEvent, TaskRef } from "../../../src/monitor/TaskEvent";
import { SemaphoreTask } from "../../../src/semaphore/types";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";

/** What the monitor passed on about one task, as "status source": "running api", "success gotify", … */
export function eventsAbout(events: readonly TaskEvent[], ref: TaskRef): string[] {
    return events.filter((e) => e.projectId === ref.projectId && e.taskId === ref.taskId).map((e) => `${e.status} ${e.source}`);
}

/** A task started in Semaphore and already running, as `GET …/tasks/{id}` shows it. */
export async function runningTask(sim: SemaphoreSimulator, projectId: number, templateId: number): Promise<SemaphoreTask> {
    const task = sim.createTask(projectId, templateId);
    await sim.setTaskStatus(projectId, task.id, "running");
    return sim.task(projectId, task.id);
}
