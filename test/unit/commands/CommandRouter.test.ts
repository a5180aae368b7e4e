import { expect } from "chai";
import { CommandRouter, RoomResponder } from "../../../src/commands/CommandRouter";
import { Command, CommandError } from "../../../src/commands/Command";
import { helpCommand } from "../../../src/commands/help";
import { Permissions } from "../../../src/permissions";
import { TextContent } from "../../../src/matrix/formatting";

interface Sent {
    kind: "message" | "reaction";
    roomId: string;
    content?: TextContent;
    eventId?: string;
    key?: string;
}

class RecordingResponder implements RoomResponder {
    readonly sent: Sent[] = [];
    async sendMessage(roomId: string, content: TextContent): Promise<string> {
        this.sent.push({ kind: "message", roomId, content });
        return `$reply${this.sent.length}`;
    }
    async react(roomId: string, eventId: string, key: string): Promise<void> {
        this.sent.push({ kind: "reaction", roomId, eventId, key });
    }
    messages(): string[] {
        return this.sent.filter((s) => s.kind === "message").map((s) => s.content!.body);
    }
    reactions(): string[] {
        return this.sent.filter((s) => s.kind === "reaction").map((s) => s.key!);
    }
}

describe("CommandRouter", () => {
    let responder: RecordingResponder;
    let ran: string[];
    const table: Command<unknown>[] = [];
    const echo: Command<unknown> = {
        name: "echo",
        args: "<text>",
        summary: "Repeat text",
        level: "commands",
        async run(ctx) {
            ran.push(ctx.args.join("|"));
        },
    };
    const deploy: Command<unknown> = {
        name: "deploy",
        args: "",
        summary: "Deploy",
        level: "manage",
        async run() {
            ran.push("deploy");
        },
    };
    const broken: Command<unknown> = {
        name: "broken",
        args: "",
        summary: "Fails",
        level: "commands",
        async run() {
            throw new Error("secret-token-123 leaked in stack");
        },
    };
    const picky: Command<unknown> = {
        name: "picky",
        args: "",
        summary: "Refuses",
        level: "commands",
        async run() {
            throw new CommandError("No template named x in project y.");
        },
    };
    table.push(helpCommand(() => table as Command<never>[]), echo, deploy, broken, picky);
    const permissions = new Permissions([
        { actor: "example.org", level: "commands" },
        { actor: "@ops:example.org", level: "manage" },
    ]);

    function router(prefix = "!cd") {
        return new CommandRouter(prefix, table, permissions, responder, {});
    }
    const msg = (body: string, sender = "@alice:example.org") => ({ roomId: "!room:example.org", sender, eventId: "$cmd", body });

    beforeEach(() => {
        responder = new RecordingResponder();
        ran = [];
    });

    it("recognises the prefix only as a whole word", () => {
        const r = router();
        expect(r.isCommand("!cd echo hi")).to.equal(true);
        expect(r.isCommand("  !CD echo")).to.equal(true);
        expect(r.isCommand("!cd")).to.equal(true);
        expect(r.isCommand("!cdx echo")).to.equal(false);
        expect(r.isCommand("hello !cd echo")).to.equal(false);
    });

    it("runs a command with its quoted arguments and acknowledges with ✅", async () => {
        await router().handle(msg(`!cd echo "a b" c`));
        expect(ran).to.deep.equal(["a b|c"]);
        expect(responder.sent).to.deep.equal([{ kind: "reaction", roomId: "!room:example.org", eventId: "$cmd", key: "✅" }]);
    });

    it("ignores messages without the prefix", async () => {
        await router().handle(msg("echo hi"));
        expect(responder.sent).to.deep.equal([]);
    });

    it("refuses a command above the sender's level and names the level needed", async () => {
        await router().handle(msg("!cd deploy"));
        expect(ran).to.deep.equal([]);
        expect(responder.reactions()).to.deep.equal(["⛔"]);
        expect(responder.messages()).to.deep.equal(['!cd deploy needs the "manage" permission level; you have "commands".']);
    });

    it("lets a user with the level run it", async () => {
        await router().handle(msg("!cd deploy", "@ops:example.org"));
        expect(ran).to.deep.equal(["deploy"]);
    });

    it("refuses users who match no rule", async () => {
        await router().handle(msg("!cd echo x", "@eve:evil.net"));
        expect(ran).to.deep.equal([]);
        expect(responder.messages()).to.deep.equal(["You are not allowed to use this bridge."]);
    });

    it("suggests close commands for unknown ones", async () => {
        await router().handle(msg("!cd ecko"));
        expect(responder.reactions()).to.deep.equal(["⛔"]);
        expect(responder.messages()).to.deep.equal(['Unknown command "ecko". Did you mean !cd echo? Type !cd help for the list of commands.']);
    });

    it("shows a user mistake as it is, with ⛔", async () => {
        await router().handle(msg("!cd picky"));
        expect(responder.messages()).to.deep.equal(["No template named x in project y."]);
        expect(responder.reactions()).to.deep.equal(["⛔"]);
    });

    it("hides internal error details from the room", async () => {
        await router().handle(msg("!cd broken"));
        const [text] = responder.messages();
        expect(text).to.match(/^Something went wrong while running !cd broken \(reference [0-9a-f]{8}\); the bridge log has the details\.$/);
        expect(text).to.not.contain("secret-token-123");
    });

    it("reports an unterminated quote", async () => {
        await router().handle(msg(`!cd echo "oops`));
        expect(responder.messages()).to.deep.equal(['Could not read that command: unterminated " quote.']);
    });

    it("treats a bare prefix as help and marks commands the sender cannot use", async () => {
        await router().handle(msg("!cd"));
        const [reply] = responder.sent;
        expect(reply.content).to.deep.equal({
            msgtype: "m.notice",
            body: [
                "Semaphore bridge commands:",
                "!cd help [command] — Show the commands, or details of one command",
                "!cd echo <text> — Repeat text",
                "!cd deploy — Deploy (needs manage)",
                "!cd broken — Fails",
                "!cd picky — Refuses",
            ].join("\n"),
            format: "org.matrix.custom.html",
            formatted_body:
                "<p>Semaphore bridge commands:</p><ul>" +
                "<li><code>!cd help [command]</code> — Show the commands, or details of one command</li>" +
                "<li><code>!cd echo &lt;text&gt;</code> — Repeat text</li>" +
                "<li><code>!cd deploy</code> — Deploy (needs manage)</li>" +
                "<li><code>!cd broken</code> — Fails</li>" +
                "<li><code>!cd picky</code> — Refuses</li></ul>",
            "m.mentions": {},
        });
    });

    it("uses the configured prefix everywhere", async () => {
        await router("!sem").handle(msg("!sem help echo"));
        expect(responder.messages()).to.deep.equal(["!sem echo <text>\nRepeat text\nNeeds permission level: commands"]);
    });
});
