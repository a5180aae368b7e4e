import { expect } from "chai";
import { adminCommand } from "../../../src/admin/adminCommand";
import { buildAdminCommandTable } from "../../../src/admin/commands/table";
import { Command } from "../../../src/commands/Command";
import { CommandRouter, REACTION_FAILED, RoomResponder } from "../../../src/commands/CommandRouter";
import { buildCommandTable } from "../../../src/commands/table";
import { PERMISSION_LEVELS, PermissionLevel } from "../../../src/config/Config";
import { TextContent } from "../../../src/matrix/formatting";
import { Permissions } from "../../../src/permissions";

/** Anything a command might use: touching it at all means the command ran. */
function untouchable<T extends object>(what: string): T {
    return new Proxy({} as T, {
        get(_target, property) {
            throw new Error(`${what}.${String(property)} was used: a refused command ran`);
        },
    });
}

const USERS: Record<PermissionLevel | "none", string> = {
    none: "@eve:evil.example",
    notifications: "@nora:example.org",
    commands: "@carl:example.org",
    manage: "@mia:example.org",
    admin: "@ada:example.org",
};

class Recorder implements RoomResponder {
    sent: Array<{ message?: string; reaction?: string }> = [];
    async sendMessage(_roomId: string, content: TextContent): Promise<string> {
        this.sent.push({ message: content.body });
        return "$reply";
    }
    async react(_roomId: string, _eventId: string, key: string): Promise<void> {
        this.sent.push({ reaction: key });
    }
}

const MAIN_TABLE: Command<unknown>[] = buildCommandTable([
    adminCommand(untouchable("adminDeps")) as Command<never>,
]) as Command<unknown>[];
const ADMIN_TABLE: Command<unknown>[] = buildAdminCommandTable() as Command<unknown>[];

/**
 * Every command of both tables (the rooms' and the admin room's), tried by a user of every level
 * below the one it needs: refused with the level named, and nothing it could use is touched.
 */
describe("who gets in: every command checks the sender's level", () => {
    const permissions = new Permissions(
        (Object.entries(USERS) as Array<[PermissionLevel | "none", string]>)
            .filter(([level]) => level !== "none")
            .map(([level, actor]) => ({ actor, level: level as PermissionLevel })),
    );

    for (const [tableName, table] of [["rooms", MAIN_TABLE], ["admin room", ADMIN_TABLE]] as const) {
        it(`${tableName}: every command has a level, and the table has commands of the levels it should`, () => {
            expect(table.length).to.be.greaterThan(3);
            for (const command of table) expect(PERMISSION_LEVELS, command.name).to.include(command.level);
        });

        for (const command of table) {
            it(`${tableName}: !cd ${command.name} (${command.level}) refuses everyone below ${command.level}`, async () => {
                const below = PERMISSION_LEVELS.slice(0, PERMISSION_LEVELS.indexOf(command.level));
                for (const level of ["none", ...below] as Array<PermissionLevel | "none">) {
                    const responder = new Recorder();
                    const router = new CommandRouter("!cd", table, permissions, responder, untouchable("services"));
                    await router.handle({ roomId: "!room:example.org", sender: USERS[level], eventId: "$cmd", body: `!cd ${command.name} 1 2 --force` });
                    const expected =
                        level === "none"
                            ? "You are not allowed to use this bridge."
                            : `!cd ${command.name} needs the "${command.level}" permission level; you have "${level}".`;
                    expect(responder.sent, `${level} user`).to.deep.equal([{ reaction: REACTION_FAILED }, { message: expected }]);
                }
            });
        }
    }

    it("the levels needed are the documented ones: reading for commands, changing for manage, the bridge for admin", () => {
        const levelOf = (table: Command<unknown>[]) => Object.fromEntries(table.map((c) => [c.name, c.level]));
        expect(levelOf(MAIN_TABLE)).to.deep.equal({
            help: "commands",
            ping: "commands",
            projects: "commands",
            templates: "commands",
            run: "manage",
            status: "commands",
            logs: "commands",
            stop: "manage",
            approve: "manage",
            reject: "manage",
            watch: "commands",
            unwatch: "commands",
            watches: "commands",
            subscribe: "manage",
            unsubscribe: "manage",
            project: "manage",
            admin: "admin",
        });
        expect(Object.values(levelOf(ADMIN_TABLE)).filter((level) => level !== "admin")).to.deep.equal(["commands"]);
    });
});
