import { AxiosError, AxiosHeaders } from "axios";
import { expect } from "chai";
import { displayUrl, FailureContext, formatDuration, toSemaphoreError } from "../../../src/semaphore/failures";

describe("Semaphore failure messages", () => {
    const ctx: FailureContext = { baseUrl: "https://sem.example.com", timeoutMs: 10000, action: "starting the task" };

    const withStatus = (status: number) =>
        new AxiosError("Request failed", "ERR_BAD_RESPONSE", undefined, undefined, {
            status,
            statusText: "",
            headers: {},
            config: { headers: new AxiosHeaders() },
            data: '{"error":"token sem-secret is bad"}',
        });
    const withCode = (code: string, message = "failed") => new AxiosError(message, code);

    it("maps statuses to kinds and sentences, never copying the response body", () => {
        const cases: Array<[number, string, string]> = [
            [401, "unauthorized", "Semaphore rejected the bridge's API token (check semaphore.apiToken)"],
            [403, "rejected", "Semaphore does not allow the bridge's user to do this (HTTP 403 while starting the task): check its role in the project"],
            [404, "not-found", "Semaphore at https://sem.example.com has no such API (HTTP 404 while starting the task): check semaphore.url"],
            [409, "rejected", "Semaphore refused the request (HTTP 409) while starting the task"],
            [500, "server", "Semaphore failed with HTTP 500 while starting the task"],
            [502, "server", "Semaphore failed with HTTP 502 while starting the task"],
        ];
        for (const [status, kind, message] of cases) {
            const err = toSemaphoreError(withStatus(status), ctx);
            expect([err.kind, err.status, err.userMessage], String(status)).to.deep.equal([kind, status, message]);
            expect(err.message).to.not.include("sem-secret");
        }
    });

    it("lets a call give a status its own meaning", () => {
        const err = toSemaphoreError(withStatus(400), { ...ctx, byStatus: { 400: { kind: "not-found", message: "No task 42 in project 3" } } });
        expect([err.kind, err.status, err.userMessage]).to.deep.equal(["not-found", 400, "No task 42 in project 3"]);
    });

    it("tells timeouts, refused connections, DNS and certificate problems apart", () => {
        const cases: Array<[AxiosError, string, string]> = [
            [withCode("ECONNABORTED", "timeout of 10000ms exceeded"), "timeout", "Semaphore at https://sem.example.com did not answer within 10 s"],
            [withCode("ECONNREFUSED"), "unreachable", "Semaphore at https://sem.example.com is not answering"],
            [withCode("ECONNRESET"), "unreachable", "Semaphore at https://sem.example.com is not answering"],
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

    it("formats durations for people", () => {
        expect([10000, 2500, 1000, 250].map(formatDuration)).to.deep.equal(["10 s", "2.5 s", "1 s", "250 ms"]);
    });

    it("shows the configured URL without credentials or trailing slash", () => {
        expect(displayUrl("https://user:pa55@sem.example.com:8443/semaphore/")).to.equal("https://sem.example.com:8443/semaphore");
        expect(displayUrl("not a url")).to.equal("(invalid semaphore.url)");
    });
});
