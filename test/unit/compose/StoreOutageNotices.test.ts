import { expect } from "chai";
import { StoreOutageNotices } from "../../../src/compose/StoreOutageNotices";
import { TextContent } from "../../../src/matrix/formatting";

describe("StoreOutageNotices", () => {
    it("posts one notice per outage window, on an operation's first retry, and none before a room is attached", async () => {
        let now = 0;
        const posted: string[] = [];
        const notices = new StoreOutageNotices(() => now, 60_000);
        notices.onRetry("getWatchesForTask", 1, new Error("connection refused"));
        notices.attach(async (content: TextContent) => {
            posted.push(content.body);
        });
        now = 1_000;
        notices.onRetry("putWatch", 1, new Error("connection refused"));
        notices.onRetry("putWatch", 2, new Error("connection refused"));
        now = 30_000;
        notices.onRetry("counts", 1, new Error("connection refused"));
        now = 62_000;
        notices.onRetry("counts", 1, new Error("connection refused"));
        expect(posted).to.deep.equal([
            "⚠️ The database is not answering; the bridge keeps retrying. Task events wait and are delivered once it answers again (the log has the details).",
            "⚠️ The database is not answering; the bridge keeps retrying. Task events wait and are delivered once it answers again (the log has the details).",
        ]);
    });
});
