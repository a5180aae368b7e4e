import { expect } from "chai";
import { startTaskBody } from "../../../src/semaphore/startTaskBody";

describe("startTaskBody", () => {
    it("sends only the template id when nothing else is set", () => {
        expect(startTaskBody(3, {})).to.deep.equal({ template_id: 3 });
        expect(startTaskBody(3, { limit: [], tags: [], skipTags: [], arguments: [] })).to.deep.equal({ template_id: 3 });
    });

    it("writes arguments as a JSON-array string and limit as a comma-joined string, plus params for newer versions", () => {
        expect(startTaskBody(3, { arguments: ["-e", "a=b c"], limit: ["web1", "db"], dryRun: false })).to.deep.equal({
            template_id: 3,
            dry_run: false,
            arguments: '["-e","a=b c"]',
            limit: "web1,db",
            params: { limit: ["web1", "db"], dry_run: false },
        });
    });

    it("puts tags only into params, which older versions ignore", () => {
        expect(startTaskBody(9, { tags: ["deploy"], skipTags: ["slow"], gitBranch: "main", message: "hi" })).to.deep.equal({
            template_id: 9,
            git_branch: "main",
            message: "hi",
            params: { tags: ["deploy"], skip_tags: ["slow"] },
        });
    });

    it("does not share arrays with the caller's options", () => {
        const limit = ["a"];
        const body = startTaskBody(1, { limit });
        limit.push("b");
        expect(body.params?.limit).to.deep.equal(["a"]);
    });
});
