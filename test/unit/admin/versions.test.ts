import { expect } from "chai";
import { collectVersions } from "../../../src/admin/versions";
import { routeAdminRoomCommands } from "../../../src/admin/AdminCommandRouting";
import { IncomingMessage } from "../../../src/commands/CommandRouter";

describe("collectVersions", () => {
    it("asks every component, showing one that fails as unknown without its error", async () => {
        const versions = await collectVersions({
            bridge: "0.1.0",
            semaphore: async () => "v2.20.1",
            gotify: async () => {
                throw new Error("connect ECONNREFUSED https://gotify.example/version?token=Csecret");
            },
            homeserver: async () => "Synapse 1.163.2",
        });
        expect(versions).to.deep.equal({ bridge: "0.1.0", semaphore: "v2.20.1", gotify: "unknown (not answering)", homeserver: "Synapse 1.163.2" });
    });

    it("says Gotify is not configured when there is none", async () => {
        const versions = await collectVersions({ bridge: "0.1.0", semaphore: async () => "v2.10.31", homeserver: async () => "Synapse 1.1.0" });
        expect(versions.gotify).to.equal("not configured");
    });
});

describe("routeAdminRoomCommands", () => {
    it("hands commands in the admin room to the admin router and the rest to the main one", async () => {
        const handled: string[] = [];
        const dispatcher = (name: string) => ({
            isCommand: (body: string) => body.startsWith("!cd"),
            handle: async (message: IncomingMessage) => {
                handled.push(`${name} ${message.roomId}`);
            },
        });
        const routed = routeAdminRoomCommands((roomId) => roomId === "!admin", dispatcher("main"), dispatcher("admin"));
        await routed.handle({ roomId: "!admin", sender: "@a:hs", eventId: "$1", body: "!cd status" });
        await routed.handle({ roomId: "!ops", sender: "@a:hs", eventId: "$2", body: "!cd status" });
        expect(handled).to.deep.equal(["admin !admin", "main !ops"]);
        expect(routed.isCommand("!cd help")).to.equal(true);
        expect(routed.isCommand("hello")).to.equal(false);
    });
});
