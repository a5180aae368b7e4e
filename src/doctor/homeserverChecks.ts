import { AppServiceRegistration } from "matrix-appservice-bridge";
import { BridgeConfig } from "../config/Config";
import { displayUrl } from "../semaphore/failures";
import { LOAD_REGISTRATION_FIX, explainPingAnswer, shownBridgeUrl } from "./appservicePing";
import { Step } from "./chain";
import { HomeserverHttp, MatrixAnswer, HomeserverSilentError, errcodeOf } from "./homeserverHttp";
import { Outcome, failed, passed, skipped } from "./results";

export interface HomeserverCheckOptions {
    timeoutMs: number;
    /** The ping's transaction id; Synapse passes it on to the bridge. */
    transactionId: string;
}

const CHECK_HOMESERVER = "check homeserver.url and that the homeserver is running";

/**
 * The homeserver answers, knows the registration's as_token as the bot, and reaches the bridge
 * through Synapse's appservice ping. Without a usable registration only the first can be checked.
 */
export function homeserverSteps(
    config: BridgeConfig,
    registration: AppServiceRegistration | undefined,
    options: HomeserverCheckOptions,
): Step[] {
    const http = new HomeserverHttp(config.homeserver.url, options.timeoutMs);
    const where = displayUrl(config.homeserver.url);
    const steps: Step[] = [{ title: "Homeserver", run: () => checkReachable(http, where) }];
    if (registration === undefined) {
        const reason = skipped("not checked (needs a usable registration)");
        steps.push({ title: "Appservice token", run: async () => reason });
        return steps;
    }
    const asToken = registration.getAppServiceToken() ?? "";
    const bot = `@${registration.getSenderLocalpart()}:${config.homeserver.domain}`;
    steps.push(
        { title: "Appservice token", run: () => checkAsToken(http, asToken, bot) },
        { title: "Appservice ping", run: () => checkPing(http, registration, options.transactionId) },
    );
    return steps;
}

async function checkReachable(http: HomeserverHttp, where: string): Promise<Outcome> {
    const asked = await ask(where, () => http.request("GET", "/_matrix/client/versions"));
    if ("outcome" in asked) return asked.outcome;
    const { answer } = asked;
    if (answer.status !== 200 || !Array.isArray(answer.body.versions)) {
        return failed(
            `${where} answered HTTP ${answer.status} to GET /_matrix/client/versions, not as a Matrix homeserver`,
            "homeserver.url must be the base URL of the client-server API, e.g. http://localhost:8008 (without /_matrix)",
        );
    }
    return passed(`${where} answers`);
}

async function checkAsToken(http: HomeserverHttp, asToken: string, bot: string): Promise<Outcome> {
    const asked = await ask("the homeserver", () => http.request("GET", "/_matrix/client/v3/account/whoami", { token: asToken }));
    if ("outcome" in asked) return asked.outcome;
    const { answer } = asked;
    if (answer.status === 401) {
        return failed("the homeserver does not know the registration's as_token", LOAD_REGISTRATION_FIX);
    }
    const userId = answer.body.user_id;
    if (answer.status !== 200 || typeof userId !== "string") {
        return failed(`the homeserver answered HTTP ${answer.status} ${errcodeOf(answer)} to whoami`.trimEnd(), CHECK_HOMESERVER);
    }
    if (userId !== bot) {
        return failed(
            `the as_token belongs to ${userId}, not to the bot ${bot}`,
            "homeserver.domain must be the homeserver's server_name, and the registration's sender_localpart the bot's",
        );
    }
    return passed(`the homeserver accepts it as ${bot}`);
}

async function checkPing(http: HomeserverHttp, registration: AppServiceRegistration, transactionId: string): Promise<Outcome> {
    const id = registration.getId() ?? "";
    const target = { id, url: registration.getAppServiceUrl() };
    // Synapse answers the ping only once the bridge answered it (or Synapse gave up on the bridge).
    const slowBridge = `the homeserver itself answered a moment ago, so it may still be waiting for the bridge at ${shownBridgeUrl(target)}: check the bridge's log`;
    const asked = await ask(
        "the homeserver",
        () =>
            http.request("POST", `/_matrix/client/v1/appservice/${encodeURIComponent(id)}/ping`, {
                token: registration.getAppServiceToken() ?? "",
                body: { transaction_id: transactionId },
            }),
        slowBridge,
    );
    if ("outcome" in asked) return asked.outcome;
    return explainPingAnswer(asked.answer, target);
}

/** The homeserver's answer, or the failure to report (with `fix`) when it gave none. */
async function ask(who: string, request: () => Promise<MatrixAnswer>, fix = CHECK_HOMESERVER): Promise<{ answer: MatrixAnswer } | { outcome: Outcome }> {
    try {
        return { answer: await request() };
    } catch (err) {
        if (err instanceof HomeserverSilentError) return { outcome: failed(`${who} ${err.message}`, fix) };
        throw err;
    }
}
