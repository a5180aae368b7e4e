import { expect } from "chai";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ParsedGotifyMessage, parseGotifyMessage, parseSemaphoreAlert, summarizeParsedMessage } from "../../../src/gotify/alertParser";
import { isTaskStatus } from "../../../src/monitor/TaskEvent";

// Compiled to dist/test/unit/gotify: the vectors stay in the source tree.
const VECTOR_DIR = path.resolve(__dirname, "../../../../test/vectors/gotify");

interface Vector {
    semaphoreAppId: number;
    message: unknown;
    expect: unknown;
}

function isValidResult(result: ParsedGotifyMessage): boolean {
    if (result.kind === "ignored") {
        return ["test-notification", "other-application", "unparsed"].includes(result.reason) && Object.keys(result).length === 2;
    }
    const a = result.alert;
    const idOrNull = (v: unknown) => v === null || (Number.isSafeInteger(v) && (v as number) >= 0);
    const stringOrNull = (v: unknown) => v === null || typeof v === "string";
    return (
        Number.isSafeInteger(a.taskId) &&
        a.taskId > 0 &&
        idOrNull(a.projectId) &&
        idOrNull(a.templateId) &&
        typeof a.templateName === "string" &&
        isTaskStatus(a.status) &&
        stringOrNull(a.author) &&
        stringOrNull(a.version)
    );
}

describe("Gotify alert parser", () => {
    describe("vectors", () => {
        const files = readdirSync(VECTOR_DIR).filter((f) => f.endsWith(".json")).sort();

        it("finds the shared and the added vectors", () => {
            expect(files.length).to.be.at.least(29);
        });

        for (const file of files) {
            it(file, () => {
                const vector = JSON.parse(readFileSync(path.join(VECTOR_DIR, file), "utf8")) as Vector;
                const parsed = parseGotifyMessage(vector.message, vector.semaphoreAppId);
                expect(summarizeParsedMessage(parsed)).to.deep.equal(vector.expect);
            });
        }
    });

    describe("task id and status", () => {
        const alertBody = (lines: string[]) => ({ appid: 3, title: "Task: T", message: lines.join("   \n") });

        it("prefers Execution # over the link's ?t= when both are present", () => {
            const parsed = parseGotifyMessage(alertBody(["Execution #: 12", "Status: ✅SUCCESS", "[Task Link](/project/1/templates/2?t=99)"]), 3);
            expect(parsed).to.deep.include({ kind: "task" });
            expect(parsed.kind === "task" && parsed.alert.taskId).to.equal(12);
        });

        it("only the first status line counts", () => {
            const parsed = parseGotifyMessage(alertBody(["Execution #: 12", "Status: ❌ERROR", "Status: ✅SUCCESS"]), 3);
            expect(parsed.kind === "task" && parsed.alert.status).to.equal("error");
        });

        it("treats an id beyond the safe integer range as missing", () => {
            const parsed = parseGotifyMessage(alertBody(["Execution #: 99999999999999999999", "Status: ✅SUCCESS"]), 3);
            expect(parsed).to.deep.equal({ kind: "ignored", reason: "unparsed" });
        });

        it("parseSemaphoreAlert skips the application check", () => {
            const parsed = parseSemaphoreAlert({ appid: 77, title: "Task: X", message: "Execution #: 5\nStatus: ✅SUCCESS" });
            expect(summarizeParsedMessage(parsed)).to.deep.equal({
                taskId: 5,
                projectId: null,
                templateId: null,
                templateName: "X",
                status: "success",
                author: null,
                version: null,
            });
        });
    });

    describe("tolerance", () => {
        it("never throws and always returns a defined shape, for any input", () => {
            fc.assert(
                fc.property(fc.anything(), fc.integer(), (input, appId) => {
                    expect(isValidResult(parseGotifyMessage(input, appId))).to.equal(true);
                }),
                { numRuns: 500 },
            );
        });

        it("never throws for bodies built from alert fragments", () => {
            const fragment = fc.constantFrom(
                "Execution #: ",
                "Status: ",
                "Author: ",
                "Version: ",
                "[Task Link](",
                "/project/",
                "/templates/",
                "?t=",
                ")",
                "✅",
                "⚠️",
                "❓",
                "SUCCESS",
                "RUNNING",
                "WAITING_CONFIRMATION",
                "—",
                "   \n",
                "\r\n",
                "0",
                "7",
                "123",
                "99999999999999999999",
                " ",
                "\"",
            );
            const body = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(""));
            fc.assert(
                fc.property(body, fc.oneof(fc.string(), fc.constant(undefined)), (message, title) => {
                    const result = parseGotifyMessage({ id: 1, appid: 3, title, message }, 3);
                    expect(isValidResult(result)).to.equal(true);
                }),
                { numRuns: 1000 },
            );
        });

        it("bounds the work on huge adversarial bodies", function () {
            this.timeout(2000);
            const started = Date.now();
            const hugeStatus = "Execution #: 1\nStatus:" + " ".repeat(2_000_000) + "x";
            const manyLines = "Status:                  \n".repeat(200_000);
            expect(parseGotifyMessage({ appid: 3, title: "T".repeat(5_000_000), message: hugeStatus }, 3)).to.deep.equal({
                kind: "ignored",
                reason: "unparsed",
            });
            expect(parseGotifyMessage({ appid: 3, message: manyLines }, 3).kind).to.equal("ignored");
            expect(Date.now() - started).to.be.below(500);
        });

        it("caps long field values", () => {
            const parsed = parseGotifyMessage({ appid: 3, title: "Task: " + "n".repeat(5000), message: "Execution #: 4\nStatus: ✅SUCCESS\nAuthor: " + "a".repeat(5000) }, 3);
            expect(parsed.kind === "task" && parsed.alert.templateName.length).to.equal(994);
            expect(parsed.kind === "task" && parsed.alert.author?.length).to.equal(1000);
        });
    });
});
