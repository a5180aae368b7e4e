import { Command } from "./Command";
import { CommandServices } from "./services";
import { helpCommand } from "./help";
import { pingCommand } from "./ping";
import { taskCommands } from "./taskTable";

/** The command table, in the order `help` lists it; `extra` (e.g. `admin`) comes last. */
export function buildCommandTable(extra: readonly Command<CommandServices>[] = []): Command<CommandServices>[] {
    const table: Command<CommandServices>[] = [];
    table.push(helpCommand(() => table as Command<never>[]), pingCommand, ...taskCommands(), ...extra);
    return table;
}
