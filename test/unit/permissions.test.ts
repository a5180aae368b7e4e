import { expect } from "chai";
import { Permissions, atLeast } from "../../src/permissions";

describe("Permissions", () => {
    const permissions = new Permissions([
        { actor: "*", level: "notifications" },
        { actor: "example.org", level: "commands" },
        { actor: "@boss:example.org", level: "admin" },
        { actor: "@intern:example.org", level: "notifications" },
    ]);

    it("prefers a user rule over a server rule over *", () => {
        expect(permissions.levelOf("@boss:example.org")).to.equal("admin");
        expect(permissions.levelOf("@intern:example.org")).to.equal("notifications");
        expect(permissions.levelOf("@someone:example.org")).to.equal("commands");
        expect(permissions.levelOf("@stranger:elsewhere.net")).to.equal("notifications");
    });

    it("gives no level when nothing matches", () => {
        const strict = new Permissions([{ actor: "example.org", level: "commands" }]);
        expect(strict.levelOf("@a:evil.example.org")).to.equal("none");
        expect(strict.allows("@a:evil.example.org", "notifications")).to.equal(false);
    });

    it("orders levels notifications < commands < manage < admin", () => {
        expect(atLeast("admin", "manage")).to.equal(true);
        expect(atLeast("commands", "manage")).to.equal(false);
        expect(atLeast("manage", "commands")).to.equal(true);
        expect(atLeast("none", "notifications")).to.equal(false);
    });

    it("matches the server part exactly, including ports", () => {
        const p = new Permissions([{ actor: "localhost:8448", level: "manage" }]);
        expect(p.levelOf("@a:localhost:8448")).to.equal("manage");
        expect(p.levelOf("@a:localhost")).to.equal("none");
    });
});
