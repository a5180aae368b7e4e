import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { inspectMessage } from "../../../src/cli/inspectMessage";

const VECTOR_DIR = path.resolve(__dirname, "../../../../test/vectors/gotify");

interface Run {
    code: number;
    stdout: string[];
    stderr: string[];
}

async function run(argv: string[], stdinText = ""): Promise<Run> {
    const result: Run = { code: -1, stdout: [], stderr: [] };
    result.code = await inspectMessage(argv, {
        stdin: Readable.from([Buffer.from(stdinText)]),
        stdout: (line) => result.stdout.push(line),
        stderr: (line) => result.stderr.push(line),
    });
    return result;
}

describe("inspect-message", () => {
    let dir: string;

    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "msb-inspect-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function messageFile(name: string, content: string): string {
        const file = path.join(dir, name);
        writeFileSync(file, content);
        return file;
    }

    it("prints every vector's expectation as one JSON line, given the vector's --app-id", async () => {
        for (const name of readdirSync(VECTOR_DIR).filter((f) => f.endsWith(".json"))) {
            const vector = JSON.parse(readFileSync(path.join(VECTOR_DIR, name), "utf8"));
            const file = messageFile(name, JSON.stringify(vector.message));
            const result = await run(["--app-id", String(vector.semaphoreAppId), file]);
            expect(result, name).to.deep.equal({ code: 0, stdout: [JSON.stringify(vector.expect)], stderr: [] });
        }
    });

    it("prints the fields in a fixed order", async () => {
        const vector = readFileSync(path.join(VECTOR_DIR, "04-spaced-status-with-version.json"), "utf8");
        const result = await run(["--app-id=3", "-"], JSON.stringify(JSON.parse(vector).message));
        expect(result.stdout).to.deep.equal([
            '{"taskId":130,"projectId":4,"templateId":12,"templateName":"Build image","status":"success","author":"carol","version":"1.4.2"}',
        ]);
    });

    it("reads stdin without a file argument and treats the message as Semaphore's without --app-id", async () => {
        const other = JSON.parse(readFileSync(path.join(VECTOR_DIR, "17-other-application-with-alert-body.json"), "utf8")).message;
        const result = await run([], JSON.stringify(other));
        expect(result.code).to.equal(0);
        expect(JSON.parse(result.stdout[0])).to.include({ taskId: 309, status: "success" });
        expect((await run(["--app-id", "3"], JSON.stringify(other))).stdout).to.deep.equal(['{"ignored":"other-application"}']);
    });

    it("prints {ignored: unparsed} for valid JSON that is no alert, with exit 0", async () => {
        expect(await run(["-"], "[1, 2]")).to.deep.equal({ code: 0, stdout: ['{"ignored":"unparsed"}'], stderr: [] });
    });

    it("fails with one line for invalid JSON", async () => {
        const result = await run(["-"], '{"title": "Task: say "hi""}');
        expect(result.code).to.equal(1);
        expect(result.stdout).to.deep.equal([]);
        expect(result.stderr).to.have.length(1);
        expect(result.stderr[0]).to.match(/^inspect-message: the input is not valid JSON \(/);
    });

    it("fails with one line for an unreadable file", async () => {
        const missing = path.join(dir, "missing.json");
        expect(await run([missing])).to.deep.equal({ code: 1, stdout: [], stderr: [`inspect-message: cannot read ${missing} (ENOENT)`] });
    });

    it("fails with exit 2 and one line for bad arguments", async () => {
        for (const argv of [["--app-id", "three"], ["--app-id"], ["--verbose"], ["a.json", "b.json"], ["--app-id=-1"]]) {
            const result = await run(argv);
            expect(result.code, argv.join(" ")).to.equal(2);
            expect(result.stdout).to.deep.equal([]);
            expect(result.stderr, argv.join(" ")).to.have.length(1);
            expect(result.stderr[0]).to.match(/^inspect-message: .*\(usage: matrix-semaphore-bridge inspect-message \[--app-id N\] \[FILE\|-\]\)$/);
        }
    });

    it("prints help with --help", async () => {
        const result = await run(["--help"]);
        expect(result.code).to.equal(0);
        expect(result.stdout[0]).to.equal("usage: matrix-semaphore-bridge inspect-message [--app-id N] [FILE|-]");
    });
});
