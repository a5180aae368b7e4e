import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** From dist/test/integration/pipeline/ back to the repository. */
const ROOT = path.resolve(__dirname, "../../../..");
const APP = path.join(ROOT, "dist/src/app.js");
const VECTOR_DIR = path.join(ROOT, "test/vectors/gotify");

interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** The installed command as an operator runs it: a separate node process, optional stdin, bounded in time. */
function runCli(args: string[], stdin?: string): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [APP, "inspect-message", ...args], { cwd: ROOT, timeout: 10_000 });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin ?? "");
    });
}

interface Vector {
    semaphoreAppId: number;
    message: unknown;
    expect: unknown;
}

function vector(name: string): Vector {
    return JSON.parse(readFileSync(path.join(VECTOR_DIR, name), "utf8")) as Vector;
}

describe("matrix-semaphore-bridge inspect-message (the CLI process)", function () {
    this.timeout(30_000);
    let dir: string;

    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "msb-inspect-cli-"));
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    /** The vector's Gotify message alone, as `GET /message` would return it, in a file. */
    function messageFileOf(name: string): string {
        const file = path.join(dir, name);
        writeFileSync(file, JSON.stringify(vector(name).message, null, 2));
        return file;
    }

    it("prints one JSON line for an alert read from a file, and exits 0", async () => {
        const file = messageFileOf("04-spaced-status-with-version.json");
        expect(await runCli(["--app-id", "3", file])).to.deep.equal({
            code: 0,
            stdout: '{"taskId":130,"projectId":4,"templateId":12,"templateName":"Build image","status":"success","author":"carol","version":"1.4.2"}\n',
            stderr: "",
        });
    });

    // One alert and one message it ignores; test/unit/gotify/inspectMessage.test.ts runs every vector in-process.
    for (const name of ["05-waiting-confirmation.json", "07-other-application.json"]) {
        it(`prints the expectation of vector ${name} read from stdin, and exits 0`, async () => {
            const { semaphoreAppId, message, expect: expected } = vector(name);
            expect(await runCli([`--app-id=${semaphoreAppId}`, "-"], JSON.stringify(message))).to.deep.equal({
                code: 0,
                stdout: `${JSON.stringify(expected)}\n`,
                stderr: "",
            });
        });
    }

    it("treats a message as Semaphore's when no --app-id is given (stdin without '-')", async () => {
        const other = vector("07-other-application.json").message as { appid: number };
        const result = await runCli([], JSON.stringify(other));
        expect(result).to.deep.equal({ code: 0, stdout: '{"ignored":"unparsed"}\n', stderr: "" });
    });

    it("exits 1 with one line on stderr and nothing on stdout for invalid JSON", async () => {
        const result = await runCli(["--app-id", "3"], '{"title": "Task: say "hi""}');
        expect(result.code).to.equal(1);
        expect(result.stdout).to.equal("");
        expect(result.stderr).to.match(/^inspect-message: the input is not valid JSON \([^\n]*\)\n$/);
    });

    it("exits 1 for a file that cannot be read", async () => {
        const missing = path.join(dir, "missing.json");
        expect(await runCli([missing])).to.deep.equal({ code: 1, stdout: "", stderr: `inspect-message: cannot read ${missing} (ENOENT)\n` });
    });

    it("exits 2 for bad arguments", async () => {
        expect(await runCli(["--app-id", "three"])).to.deep.equal({
            code: 2,
            stdout: "",
            stderr: 'inspect-message: --app-id must be a whole number, got "three" (usage: matrix-semaphore-bridge inspect-message [--app-id N] [FILE|-])\n',
        });
    });
});
