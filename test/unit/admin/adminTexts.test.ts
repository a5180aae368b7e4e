import { expect } from "chai";
import {
    fallbackOffNotice,
    fallbackOnNotice,
    sourceDownNotice,
    startupNotice,
    tokenRejectedNotice,
    utcTime,
    welcomeNotice,
} from "../../../src/admin/adminTexts";
import { SourceStatus } from "../../../src/monitor/EventSource";

const T0 = Date.UTC(2026, 0, 2, 10, 0, 0);
const semaphoreDown: SourceStatus = { name: "semaphore", connected: false, since: T0, lastEventAt: null, lastError: "Semaphore socket: connection refused" };

describe("admin notices", () => {
    it("writes times as UTC to the second", () => {
        expect(utcTime(T0 + 1234)).to.equal("2026-01-02 10:00:01 UTC");
    });

    it("welcomes with the configured prefix, in both forms", () => {
        const content = welcomeNotice("!sem");
        expect(content.msgtype).to.equal("m.notice");
        expect(content.body).to.equal(
            "This is the admin room of the Semaphore bridge. I post here when an event source goes down, when fallback polling starts or stops, " +
                "and when Semaphore or Gotify reject a token. Type !sem help for the admin commands.",
        );
        expect(content.formatted_body).to.equal(content.body);
        expect(content["m.mentions"]).to.deep.equal({});
    });

    it("sums up the start with version, mode and store counts", () => {
        const content = startupNotice({ bridgeVersion: "1.2.3", mode: "gotify", counts: { rooms: 4, watches: 7, unfinishedWatches: 2, subscriptions: 1 } }, "!cd");
        expect(content.body).to.equal(
            "🟢 matrix-semaphore-bridge 1.2.3 started. Mode: gotify. Store: rooms 4, watches 7 (2 unfinished), subscriptions 1. Type !cd status for the sources.",
        );
    });

    it("says fallback polling is on, with the poll interval and the source's last error", () => {
        expect(fallbackOnNotice(semaphoreDown, 30).body).to.equal(
            "⚠️ Fallback polling on: the Semaphore WebSocket is down. Task updates come from polling Semaphore every 30 s until it is back. " +
                "Last error: Semaphore socket: connection refused.",
        );
        const silent: SourceStatus = { name: "gotify", connected: false, since: null, lastEventAt: null };
        expect(fallbackOnNotice(silent, 5).body).to.equal(
            "⚠️ Fallback polling on: the Gotify stream is down. Task updates come from polling Semaphore every 5 s until it is back.",
        );
    });

    it("says fallback polling is off: the source came back after a while, or polling became the mode", () => {
        expect(fallbackOffNotice("gotify", 125_000).body).to.equal("✅ Fallback polling off: the Gotify stream is connected again after 2m 5s.");
        expect(fallbackOffNotice("polling", 125_000).body).to.equal(
            "Fallback polling off: the bridge now runs in polling mode, so polling is its only source.",
        );
    });

    it("raises a source down for too long with when it went down and what to do", () => {
        expect(sourceDownNotice(semaphoreDown, T0, 10, "!cd").body).to.equal(
            "🚨 The Semaphore WebSocket has been down for more than 10 min (since 2026-01-02 10:00:00 UTC). " +
                "Fallback polling keeps tasks moving meanwhile. Check that the bridge can reach it; !cd reconnect tries again now. " +
                "Last error: Semaphore socket: connection refused.",
        );
    });

    it("reports a rejected token in the source's own words, ending the sentence once", () => {
        expect(tokenRejectedNotice("gotify", "Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token).").body).to.equal(
            "🔑 Token rejected (Gotify stream): Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token). " +
                "Fix the token in the bridge's configuration and restart it.",
        );
        expect(tokenRejectedNotice("poll", "Semaphore rejected the API token").body).to.equal(
            "🔑 Token rejected (Semaphore polling): Semaphore rejected the API token. Fix the token in the bridge's configuration and restart it.",
        );
    });

    it("escapes what a source reports when it builds HTML", () => {
        const hostile: SourceStatus = { ...semaphoreDown, lastError: "<b>bad</b> & worse" };
        expect(fallbackOnNotice(hostile, 1).formatted_body).to.contain("Last error: &lt;b&gt;bad&lt;/b&gt; &amp; worse.");
    });
});
