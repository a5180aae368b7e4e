import { GotifyConfig } from "../config/Config";
import { GotifyClient } from "../gotify/GotifyClient";
import { GotifyError, GotifyErrorKind } from "../gotify/GotifyError";
import { displayText } from "../notify/taskText";
import { displayUrl } from "../semaphore/failures";
import { Step } from "./chain";
import { Outcome, explainErrors, failed, passed, warned } from "./results";

/** What to do about each kind of failure, in the operator's terms. */
const FIXES: Record<GotifyErrorKind, string> = {
    unauthorized:
        "in Gotify's web UI open Clients, create a client and set its token as gotify.clientToken (or MSB_GOTIFY_CLIENT_TOKEN); " +
        "an application token cannot read messages",
    "not-found": "gotify.url must be Gotify's base URL (where its web UI is), without a path such as /message",
    unreachable: "check gotify.url and that Gotify is running",
    timeout: "check gotify.url and that Gotify is running",
    server: "see Gotify's log",
    rejected: "see Gotify's log",
    config: "in Gotify's web UI open Apps and set gotify.appId to the id of the application whose token Semaphore posts with (its gotify_token)",
};

/** A failure of the client becomes a failed check with the fix for its kind. */
const explained = (check: () => Promise<Outcome>) => explainErrors(GotifyError, FIXES, check);

/** Gotify answers, the client token reads, and the application Semaphore posts to is found. */
export function gotifySteps(config: GotifyConfig, timeoutMs: number): Step[] {
    const client = new GotifyClient(config, { timeoutMs });
    return [
        { title: "Gotify", run: () => explained(() => checkServer(client, displayUrl(config.url))) },
        { title: "Gotify client token", run: () => explained(() => checkClientToken(client)) },
        { title: "Gotify application", run: () => explained(() => checkApplication(client, config)) },
    ];
}

async function checkServer(client: GotifyClient, where: string): Promise<Outcome> {
    const health = await client.health();
    const { version } = await client.version();
    const found = `${where} answers (version ${displayText(version, 40)})`;
    if (health.health !== "green" || health.database !== "green") {
        const state = `health ${displayText(health.health, 20)}, database ${displayText(String(health.database), 20)}`;
        return warned(`${found} but reports ${state}`, "see Gotify's log: messages may not be stored or delivered");
    }
    return passed(found);
}

async function checkClientToken(client: GotifyClient): Promise<Outcome> {
    const user = await client.currentUser();
    return passed(`accepted (Gotify user ${displayText(user.name, 60)})`);
}

async function checkApplication(client: GotifyClient, config: GotifyConfig): Promise<Outcome> {
    const id = await client.resolveSemaphoreAppId(config);
    // With gotify.appId the id is taken as configured: make sure it names an application.
    const app = (await client.listApplications()).find((a) => a.id === id);
    if (app === undefined) {
        return failed(`gotify.appId is ${id}, but this client sees no Gotify application ${id}`, FIXES.config);
    }
    return passed(`Semaphore's alerts arrive in "${displayText(app.name, 60)}" (id ${id}, ${howFound(config, app.token)})`);
}

function howFound(config: GotifyConfig, appToken: string | undefined): string {
    if (config.appId !== undefined) return "from gotify.appId";
    return config.appToken !== undefined && appToken === config.appToken ? "matched by gotify.appToken" : "matched by gotify.appName";
}
