import { expect } from "chai";
import fc from "fast-check";
import { CommandError } from "../../../src/commands/Command";
import { parseTaskRef, TaskRefError, withDefaultProject } from "../../../src/commands/taskRef";

function refusal(input: string): string {
    try {
        parseTaskRef(input);
    } catch (err) {
        expect(err).to.be.instanceOf(TaskRefError);
        return (err as Error).message;
    }
    throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("parseTaskRef", () => {
    it("reads a bare id and #id as a task of the room's default project", () => {
        expect(parseTaskRef("42")).to.deep.equal({ projectId: null, taskId: 42 });
        expect(parseTaskRef("#42")).to.deep.equal({ projectId: null, taskId: 42 });
    });

    it("reads project/task", () => {
        expect(parseTaskRef("3/42")).to.deep.equal({ projectId: 3, taskId: 42 });
        expect(parseTaskRef("3/#42")).to.deep.equal({ projectId: 3, taskId: 42 });
    });

    it("reads pasted Semaphore links: template page, history page, relative link, base path", () => {
        expect(parseTaskRef("https://sem.example.com/project/3/templates/5?t=42")).to.deep.equal({ projectId: 3, taskId: 42 });
        expect(parseTaskRef("https://sem.example.com/project/3/history?t=42")).to.deep.equal({ projectId: 3, taskId: 42 });
        expect(parseTaskRef("/project/3/templates/5?t=42")).to.deep.equal({ projectId: 3, taskId: 42 });
        expect(parseTaskRef("http://ci.example.com:3000/semaphore/project/7/history?t=9#top")).to.deep.equal({ projectId: 7, taskId: 9 });
        expect(parseTaskRef("HTTPS://sem.example.com/project/3/history?x=1&t=42")).to.deep.equal({ projectId: 3, taskId: 42 });
    });

    it("refuses ids that are not plain positive integers", () => {
        for (const input of ["-1", "0", "1e3", "0x10", "1.5", "042", "+4", " ", "", "#", "#-1", "Infinity", "NaN", "９"]) {
            expect(refusal(input), input).to.match(/is not a task reference: write 42, #42, 3\/42 \(project\/task\)/);
        }
    });

    it("refuses paths that are not project/task", () => {
        for (const input of ["1/../2", "3/4/5", "3/", "/42", "3//4", "../3/4", "3/-4", "0/4", "a/4", "3\\4"]) {
            refusal(input);
        }
    });

    it("refuses links without exactly one task id or without a project", () => {
        for (const input of [
            "https://sem.example.com/project/3/history",
            "https://sem.example.com/project/3/history?t=42&t=43",
            "https://sem.example.com/project/3/history?t=1e3",
            "https://sem.example.com/project/-3/history?t=4",
            "https://sem.example.com/project/%33/history?t=4",
            "https://sem.example.com/templates/5?t=42",
            "https://sem.example.com/project/3/templates/5?t=",
            "ftp://sem.example.com/project/3/history?t=42",
            "https://[::1/project/3?t=4",
        ]) {
            refusal(input);
        }
    });

    it("quotes the input in the error and cuts long input", () => {
        expect(refusal("abc")).to.equal(
            "\"abc\" is not a task reference: write 42, #42, 3/42 (project/task) or paste the task's link from Semaphore.",
        );
        const message = refusal("x".repeat(5000));
        expect(message.startsWith(`"${"x".repeat(40)}…" is not`)).to.equal(true);
    });

    it("is a CommandError, so the room sees the sentence", () => {
        expect(() => parseTaskRef("nope")).to.throw(CommandError);
    });

    it("property: any input gives positive safe integer ids or a TaskRefError, nothing else", () => {
        const arbitraryInput = fc.oneof(
            fc.string(),
            fc.string({ unit: "grapheme" }),
            fc.stringMatching(/^[#\/0-9a-z.:?=&%+-]{0,30}$/),
            fc.webUrl({ withQueryParameters: true, withFragments: true }),
            fc.tuple(fc.webUrl(), fc.nat(), fc.string()).map(([base, pid, t]) => `${base}/project/${pid}/history?t=${t}`),
        );
        fc.assert(
            fc.property(arbitraryInput, (input) => {
                try {
                    const ref = parseTaskRef(input);
                    expect(Number.isSafeInteger(ref.taskId) && ref.taskId > 0).to.equal(true);
                    expect(ref.projectId === null || (Number.isSafeInteger(ref.projectId) && ref.projectId > 0)).to.equal(true);
                } catch (err) {
                    if (!(err instanceof TaskRefError)) throw err;
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("property: every written form of positive ids reads back the same ids", () => {
        const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
        fc.assert(
            fc.property(id, id, (projectId, taskId) => {
                expect(parseTaskRef(`${projectId}/${taskId}`)).to.deep.equal({ projectId, taskId });
                expect(parseTaskRef(`#${taskId}`)).to.deep.equal({ projectId: null, taskId });
                expect(parseTaskRef(`https://s.example/project/${projectId}/templates/1?t=${taskId}`)).to.deep.equal({ projectId, taskId });
            }),
        );
    });

    it("refuses ids beyond Number.MAX_SAFE_INTEGER", () => {
        refusal("9007199254740993");
        refusal("3/9007199254740993");
    });
});

describe("withDefaultProject", () => {
    it("keeps an explicit project and completes a bare id with the default", () => {
        expect(withDefaultProject({ projectId: 3, taskId: 42 }, 7, "!cd")).to.deep.equal({ projectId: 3, taskId: 42 });
        expect(withDefaultProject({ projectId: null, taskId: 42 }, 7, "!cd")).to.deep.equal({ projectId: 7, taskId: 42 });
    });

    it("explains how to name the project when the room has no default", () => {
        expect(() => withDefaultProject({ projectId: null, taskId: 42 }, undefined, "!ci"))
            .to.throw(CommandError)
            .with.property(
                "message",
                "No default project in this room: write <project>/42 (e.g. 3/42), or set one with !ci project <name>.",
            );
    });
});
