import { CommandContext } from "../Command";
import { CommandServices } from "../services";
import { parseTaskRef, withDefaultProject } from "../taskRef";
import { TaskRef } from "../../monitor/TaskEvent";
import { SemaphoreTask } from "../../semaphore/types";

/** A task reference from a command word, bare ids completed with the room's default project. */
export async function taskRefFromWord(ctx: CommandContext, services: CommandServices, word: string): Promise<TaskRef> {
    const parsed = parseTaskRef(word);
    if (parsed.projectId !== null) return { projectId: parsed.projectId, taskId: parsed.taskId };
    const settings = await services.store.getRoomSettings(ctx.roomId);
    return withDefaultProject(parsed, settings.defaultProjectId, ctx.prefix);
}

/** `status` without an argument shows this task. */
export async function rememberLastTask(services: CommandServices, roomId: string, ref: TaskRef): Promise<void> {
    const settings = await services.store.getRoomSettings(roomId);
    await services.store.setRoomSettings(roomId, { ...settings, lastTask: { projectId: ref.projectId, taskId: ref.taskId } });
}

/** A task and its template's name (Semaphore's task has only the template id). */
export async function taskWithTemplateName(services: CommandServices, ref: TaskRef): Promise<{ task: SemaphoreTask; templateName?: string }> {
    const task = await services.semaphore.getTask(ref.projectId, ref.taskId);
    const templates = await services.semaphore.listTemplates(ref.projectId);
    return { task, templateName: templates.find((t) => t.id === task.template_id)?.name };
}
