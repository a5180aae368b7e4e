import { Command } from "./Command";
import { CommandServices } from "./services";
import { projectCommand, projectsCommand, templatesCommand } from "./tasks/catalog";
import { controlCommands } from "./tasks/control";
import { logsCommand } from "./tasks/logs";
import { runCommand } from "./tasks/run";
import { withSemaphoreErrorsShown } from "./tasks/semaphoreErrors";
import { statusCommand } from "./tasks/status";
import { subscribeCommands } from "./tasks/subscribe";
import { watchCommands } from "./tasks/watch";

export interface TaskCommandOptions {
    /** Epoch ms; injected so tests control "running for 3 min" and subscription timestamps. */
    now?: () => number;
}

/** The task commands, in the order `help` lists them. Semaphore failures reach the room as ⛔ sentences. */
export function taskCommands(options: TaskCommandOptions = {}): Command<CommandServices>[] {
    const now = options.now ?? Date.now;
    return [
        projectsCommand,
        templatesCommand,
        runCommand,
        statusCommand(now),
        logsCommand,
        ...controlCommands(),
        ...watchCommands(),
        ...subscribeCommands(now),
        projectCommand,
    ].map(withSemaphoreErrorsShown);
}
