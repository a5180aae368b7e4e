import { expect } from "chai";
import { NoAnswerError } from "../../../src/net/HttpClient";
import { answerFailure, displayUrl, FailureContext, formatDuration, toSemaphoreError } from "../../../src/semaphore/failures";

describe("Semaphore failure messages", () => {
    const ctx: FailureContext = { baseUrl: "https://sem.example.com", timeoutMs: 10000, action: "starting the task" };

    const withCode = (code: string) => new NoAnswerError(code, `no answer (${code})`);

    it("maps statuses to kinds and sentences", () => {
        const cases: Array<[number, string, string]> = [
            [401, "unauthorized", "Semaphore rejected the bridge's API token (check semaphore.apiToken)"],
            [403, "rejected", "Semaphore does not allow the bridge's user to do this (HTTP 403 while starting the task): check its role in the project"],
            [404, "not-found", "Semaphore at https://sem.example.com has no such API (HTTP 404 while starting the task): check semaphore.url"],
            [409, "rejected", "Semaphore refused the request (HTTP 409) while starting the task"],
            [500, "server", "Semaphore failed with HTTP 500 while starting the task"],
            [502, "server", "Semaphore failed with HTTP 502 while starting the task"],
        ];
        for (const [status, kind, message] of cases) {
            const err = answerFailure(status, ctx);
            expect([err.kind, err.status, err.userMessage], String(status)).to.deep.equal([kind, status, message]);
        }
    });

    it("lets a call give a status its own meaning", () => {
        const err = answerFailure(400, { ...ctx, byStatus: { 400: { kind: "not-found", message: "No task 42 in project 3" } } });
        expect([err.kind, err.status, err.userMessage]).to.deep.equal(["not-found", 400, "No task 42 in project 3"]);
    });

    it("tells timeouts, refused connections, DNS and certificate problems apart", () => {
        const cases: Array<[NoAnswerError, string, string]> = [
            [withCode("ETIMEDOUT"), "timeout", "Semaphore at https://sem.example.com did not answer within 10 s"],
            [withCode("ECONNREFUSED"), "unreachable", "Semaphore at https://sem.example.com is not answering"],
            [withCode("ECONNRESET"), "unreachable", "Semaphore at https://sem.example.com is not answering"],
            [withCode("UND_ERR_SOCKET"), "unreachable", "Semaphore at https://sem.example.com is not answering"],
            [withCode("ENOTFOUND"), "unreachable", "Semaphore at https://sem.example.com cannot be found (DNS lookup failed: check semaphore.url)"],
            [
                withCode("SELF_SIGNED_CERT_IN_CHAIN"),
                "unreachable",
                "Semaphore at https://sem.example.com presented a TLS certificate the bridge does not trust " +
                    "(set semaphore.caFile, or semaphore.ignoreSsl to skip the check for this client only)",
            ],
        ];
        for (const [error, kind, message] of cases) {
            const err = toSemaphoreError(error, ctx);
            expect([err.kind, err.userMessage], error.code).to.deep.equal([kind, message]);
        }
    });

    it("says the bridge itself failed for anything that is not a missing answer", () => {
        const err = toSemaphoreError(new TypeError("x is undefined"), ctx);
        expect([err.kind, err.userMessage]).to.deep.equal(["server", "Something went wrong in the bridge while starting the task"]);
    });

    it("formats durations for people", () => {
        expect([10000, 2500, 1000, 250].map(formatDuration)).to.deep.equal(["10 s", "2.5 s", "1 s", "250 ms"]);
    });

    it("shows the configured URL without credentials or trailing slash", () => {
        expect(displayUrl("https://user:pa55@sem.example.com:8443/semaphore/")).to.equal("https://sem.example.com:8443/semaphore");
        expect(displayUrl("not a url")).to.equal("(invalid semaphore.url)");
    });
});
