import { Command } from "../../commands/Command";
import { helpCommand } from "../../commands/help";
import { AdminServices } from "./AdminServices";
import { leaveCommand, roomsCommand } from "./rooms";
import { modeCommand, reconnectCommand } from "./sources";
import { statusCommand } from "./status";
import { watchesCommand } from "./watches";

/** The admin room's command table, in the order `help` lists it. */
export function buildAdminCommandTable(): Command<AdminServices>[] {
    const table: Command<AdminServices>[] = [];
    table.push(helpCommand(() => table as Command<never>[]), statusCommand, reconnectCommand, modeCommand, roomsCommand, leaveCommand, watchesCommand);
    return table;
}
