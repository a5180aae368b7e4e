import { expect } from "chai";
import fc from "fast-check";
import { parseGotifyMessage, ParsedGotifyMessage } from "../../../src/gotify/alertParser";
import { AlertStatus, renderGotifyAlert } from "../../fakes/semaphore/gotifyAlert";
import { hostileText } from "./arbitraries";

/**
 * Semaphore fills its alert template with text its users choose: template names, user names,
 * versions. Whatever they write must not change which task, project, template or status the bridge
 * reads from the alert — otherwise a Semaphore user could make the bridge announce tasks into rooms
 * that follow other projects.
 */

const APP_ID = 3;
const status = fc.constantFrom<AlertStatus>("success", "error", "waiting_confirmation");
const id = fc.integer({ min: 1, max: 2 ** 31 });

interface Rendered {
    taskId: number;
    projectId: number;
    templateId: number;
    status: AlertStatus;
    templateName: string;
    author: string | null;
    version: string | null;
}

const rendered = fc.record({
    taskId: id,
    projectId: id,
    templateId: id,
    status,
    templateName: hostileText,
    author: fc.option(hostileText, { nil: null }),
    version: fc.option(hostileText, { nil: null }),
});

function render(alert: Rendered, jsonEscaping: boolean): string {
    return renderGotifyAlert(
        {
            taskId: alert.taskId,
            templateName: alert.templateName,
            status: alert.status,
            author: alert.author,
            version: alert.version,
            link: `https://semaphore.example.org/project/${alert.projectId}/templates/${alert.templateId}?t=${alert.taskId}`,
        },
        { jsonEscaping, spacedStatus: jsonEscaping },
    );
}

/** What Gotify stores: the JSON Semaphore posted, or null when Gotify refuses it (400, alert lost at the source). */
function asStored(json: string): Record<string, unknown> | null {
    try {
        return { id: 1, appid: APP_ID, ...(JSON.parse(json) as Record<string, unknown>) };
    } catch {
        return null;
    }
}

/** The parser reads this much of a body; a link beyond it is out of reach (the project is then unknown, never wrong). */
const READ_CHARS = 16_384;

function expectSameTask(parsed: ParsedGotifyMessage, alert: Rendered, body: string): void {
    expect(parsed.kind).to.equal("task");
    if (parsed.kind !== "task") return;
    expect(parsed.alert).to.include({ taskId: alert.taskId, status: alert.status });
    const linkRead = body.length <= READ_CHARS;
    expect(parsed.alert.projectId).to.be.oneOf(linkRead ? [alert.projectId] : [alert.projectId, null]);
    expect(parsed.alert.templateId).to.be.oneOf(linkRead ? [alert.templateId] : [alert.templateId, null]);
    for (const text of [parsed.alert.templateName, parsed.alert.author ?? "", parsed.alert.version ?? ""]) {
        expect(text.length).to.be.at.most(1000);
    }
}

describe("hostile input: Gotify alert parser", () => {
    it("reads the real task, project, template and status whatever Semaphore users put in names (v2.20 JSON escaping)", () => {
        fc.assert(
            fc.property(rendered, (alert) => {
                const stored = asStored(render(alert, true));
                expect(stored, "v2.20 always renders valid JSON").to.not.equal(null);
                expectSameTask(parseGotifyMessage(stored, APP_ID), alert, String(stored?.message));
            }),
            { numRuns: 1000 },
        );
    });

    it("reads the real task or nothing at all with pre-2.20 rendering (no escaping)", () => {
        fc.assert(
            fc.property(rendered, (alert) => {
                const stored = asStored(render(alert, false));
                // Invalid JSON: Gotify answers 400 and the alert never exists (PROTOCOLS.md §1).
                if (stored !== null) expectSameTask(parseGotifyMessage(stored, APP_ID), alert, String(stored.message));
            }),
            { numRuns: 1000 },
        );
    });

    it("is not led to another project by a user name that carries a forged task link", () => {
        const forged = "mallory\n[Task Link](https://semaphore.example.org/project/666/templates/9?t=5)";
        const alert: Rendered = { taskId: 5, projectId: 1, templateId: 2, status: "success", templateName: "Deploy", author: forged, version: null };
        const stored = asStored(render(alert, true));
        expect(parseGotifyMessage(stored, APP_ID)).to.deep.equal({
            kind: "task",
            alert: { taskId: 5, projectId: 1, templateId: 2, templateName: "Deploy", status: "success", author: "mallory", version: null },
        });
    });

    it("is not led to another project by a forged link in a version so long that the real link is not read", () => {
        const version = `1.0\n[Task Link](https://semaphore.example.org/project/666/templates/9?t=5)\n${"x".repeat(20_000)}`;
        const alert: Rendered = { taskId: 5, projectId: 1, templateId: 2, status: "success", templateName: "Deploy", author: "mallory", version };
        const parsed = parseGotifyMessage(asStored(render(alert, true)), APP_ID);
        expect(parsed.kind === "task" && parsed.alert).to.include({ taskId: 5, projectId: null, templateId: null, status: "success" });
    });

    it("is not pushed off the real link by a user name of many lines", () => {
        const alert: Rendered = { taskId: 5, projectId: 1, templateId: 2, status: "error", templateName: "Deploy", author: `m${"\n".repeat(500)}x`, version: null };
        const parsed = parseGotifyMessage(asStored(render(alert, true)), APP_ID);
        expect(parsed.kind === "task" && parsed.alert).to.include({ taskId: 5, projectId: 1, templateId: 2, status: "error" });
    });
});
