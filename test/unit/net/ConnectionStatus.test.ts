import { expect } from "chai";
import { SourceStatus } from "../../../src/monitor/EventSource";
import { ConnectionStatus } from "../../../src/net/ConnectionStatus";
import { ManualScheduler } from "./ManualScheduler";

describe("ConnectionStatus", () => {
    let scheduler: ManualScheduler;
    let reports: SourceStatus[];
    let status: ConnectionStatus;

    beforeEach(() => {
        scheduler = new ManualScheduler();
        reports = [];
        status = new ConnectionStatus("gotify", scheduler, (s) => reports.push(s));
    });

    it("reports the first state and then only changes of `connected`", () => {
        scheduler.advance(10);
        status.down("refused");
        scheduler.advance(10);
        status.down("refused again");
        status.up();
        status.up();
        expect(reports).to.deep.equal([
            { name: "gotify", connected: false, since: null, lastEventAt: null, lastError: "refused" },
            { name: "gotify", connected: true, since: 20, lastEventAt: null },
        ]);
        expect(status.snapshot()).to.deep.equal({ name: "gotify", connected: true, since: 20, lastEventAt: null });
    });

    it("keeps a refused token as lastError through later disconnects until the credentials are accepted", () => {
        status.authRejected("token refused");
        status.down("HTTP 401");
        expect(status.snapshot().lastError).to.equal("token refused");
        status.credentialsAccepted();
        status.down("connection reset");
        expect(status.snapshot().lastError).to.equal("connection reset");
    });

    it("records when the last event was seen", () => {
        scheduler.advance(1234);
        status.eventSeen();
        expect(status.snapshot().lastEventAt).to.equal(1234);
    });
});
