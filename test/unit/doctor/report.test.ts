import { expect } from "chai";
import { exitCode, formatCheck, summaryLine } from "../../../src/doctor/report";
import { CheckResult, CheckStatus } from "../../../src/doctor/results";

const result = (status: CheckStatus, title = "Check"): CheckResult => ({ status, title, detail: "detail" });

describe("doctor report", () => {
    it("prints one line per check with its mark, then notes and the fix indented", () => {
        expect(formatCheck({ status: "ok", title: "Homeserver", detail: "http://hs answers" })).to.deep.equal(["✅ Homeserver: http://hs answers"]);
        expect(formatCheck({ status: "skip", title: "Gotify", detail: "not configured" })).to.deep.equal(["⏭️ Gotify: not configured"]);
        expect(
            formatCheck({
                status: "fail",
                title: "Configuration",
                detail: "config.yaml has 2 problems",
                notes: ["- gotify.url: must be a URL", "- bridge.port: must be an integer"],
                fix: "correct them",
            }),
        ).to.deep.equal([
            "❌ Configuration: config.yaml has 2 problems",
            "   - gotify.url: must be a URL",
            "   - bridge.port: must be an integer",
            "   Fix: correct them",
        ]);
        expect(formatCheck({ status: "warn", title: "Semaphore alerts", detail: "1 of 2", fix: "tick it" })).to.deep.equal([
            "⚠️ Semaphore alerts: 1 of 2",
            "   Fix: tick it",
        ]);
    });

    it("sums up failures, warnings and checks that could not run", () => {
        expect(summaryLine([result("ok"), result("ok")])).to.equal("All checks passed.");
        expect(summaryLine([result("ok"), result("skip")])).to.equal("All checks passed.");
        expect(summaryLine([result("ok"), result("warn")])).to.equal("No check failed; 1 warning.");
        expect(summaryLine([result("warn"), result("warn")])).to.equal("No check failed; 2 warnings.");
        expect(summaryLine([result("fail")])).to.equal("1 check failed.");
        expect(summaryLine([result("fail"), result("fail"), result("warn"), result("skip"), result("skip")])).to.equal(
            "2 checks failed, 1 warning, 2 not checked.",
        );
    });

    it("exits 1 only when a check failed", () => {
        expect(exitCode([result("ok"), result("warn"), result("skip")])).to.equal(0);
        expect(exitCode([result("ok"), result("fail")])).to.equal(1);
    });
});
