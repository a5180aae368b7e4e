import { BridgeConfig } from "../config/Config";
import { displayText } from "../notify/taskText";
import { SemaphoreClient } from "../semaphore/SemaphoreClient";
import { SemaphoreError, SemaphoreErrorKind } from "../semaphore/SemaphoreError";
import { displayUrl } from "../semaphore/failures";
import { SemaphoreProject } from "../semaphore/types";
import { Step } from "./chain";
import { Outcome, explainErrors, failed, passed, warned } from "./results";

const CHECK_URL = "check semaphore.url (the address of Semaphore's web UI, without /api) and that Semaphore is running";

const FIXES: Record<SemaphoreErrorKind, string> = {
    unauthorized:
        "create an API token in Semaphore (your user menu → API Tokens, or POST /api/user/tokens) and set it as semaphore.apiToken (or MSB_SEMAPHORE_API_TOKEN)",
    "not-found": CHECK_URL,
    unreachable: CHECK_URL,
    timeout: CHECK_URL,
    server: "see Semaphore's log",
    rejected: "check the role of the token's user in Semaphore",
    invalid: "see Semaphore's log",
};

/** A failure of the client becomes a failed check with the fix for its kind. */
const explained = (check: () => Promise<Outcome>) => explainErrors(SemaphoreError, FIXES, check);

const ENABLE_ALERTS =
    'in Semaphore open each of these projects → Settings, tick "Allow alerts for this project" and save ' +
    "(Semaphore itself needs gotify_alert, gotify_url and gotify_token in its config.json)";

/** How many project names a line lists before it says "and N more". */
const LISTED_PROJECTS = 10;

/**
 * Semaphore answers, the API token is accepted, the token's user sees projects and — when alerts
 * reach the bridge through Gotify — those projects allow alerts.
 */
export function semaphoreSteps(config: BridgeConfig, timeoutMs: number): Step[] {
    // One quick attempt per request: a doctor should report a problem, not retry its way past it.
    const client = new SemaphoreClient({ ...config.semaphore, requestTimeoutMs: timeoutMs }, { retries: 0 });
    const where = displayUrl(config.semaphore.url);
    let projects: SemaphoreProject[] = [];
    const steps: Step[] = [
        { title: "Semaphore", run: () => checkPing(client, where) },
        { title: "Semaphore API token", run: () => explained(() => checkToken(client)) },
        {
            title: "Semaphore projects",
            run: () =>
                explained(async () => {
                    projects = await client.listProjects();
                    return describeProjects(projects);
                }),
        },
    ];
    if (config.monitor.source === "gotify") {
        steps.push({ title: "Semaphore alerts", run: async () => checkAlerts(projects) });
    }
    return steps;
}

async function checkPing(client: SemaphoreClient, where: string): Promise<Outcome> {
    return (await client.ping()) ? passed(`${where} answers`) : failed(`${where} does not answer GET /api/ping with "pong"`, CHECK_URL);
}

async function checkToken(client: SemaphoreClient): Promise<Outcome> {
    const { version } = await client.info();
    return passed(`accepted (Semaphore ${displayText(version, 40)})`);
}

function describeProjects(projects: readonly SemaphoreProject[]): Outcome {
    if (projects.length === 0) {
        return failed(
            "the token's user sees no project, so the bridge has nothing to run or watch",
            "add that user to the projects the bridge should serve (project → Team), or use the token of an admin",
        );
    }
    const count = projects.length === 1 ? "1 project" : `${projects.length} projects`;
    return passed(`the token's user sees ${count}: ${listProjects(projects)}`);
}

function checkAlerts(projects: readonly SemaphoreProject[]): Outcome {
    const silent = projects.filter((p) => p.alert !== true);
    if (silent.length === 0) {
        return passed(projects.length === 1 ? "the project allows alerts" : `all ${projects.length} projects allow alerts`);
    }
    const what = `${silent.length} of ${projects.length} projects ${silent.length === 1 ? "does" : "do"} not allow alerts`;
    const notes = [`without alerts: ${listProjects(silent)}`];
    if (silent.length === projects.length) {
        return failed(`${what}: Gotify will carry no task events at all`, ENABLE_ALERTS, notes);
    }
    return warned(`${what}: their tasks are seen only through polling`, ENABLE_ALERTS, notes);
}

/** `web (id 1), infra (id 2) and 3 more`; names from Semaphore are cleaned for a terminal. */
function listProjects(projects: readonly SemaphoreProject[]): string {
    const named = projects.slice(0, LISTED_PROJECTS).map((p) => `${displayText(p.name, 60)} (id ${p.id})`);
    const more = projects.length - named.length;
    return more > 0 ? `${named.join(", ")} and ${more} more` : named.join(", ");
}
