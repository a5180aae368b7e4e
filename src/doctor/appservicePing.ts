import { displayUrl } from "../semaphore/failures";
import { MatrixAnswer, errcodeOf } from "./homeserverHttp";
import { Outcome, failed, passed } from "./results";

/** Both an unknown as_token and an unknown appservice id mean Synapse runs without this registration. */
export const LOAD_REGISTRATION_FIX =
    "Synapse has not loaded this registration: add its path to app_service_config_files in homeserver.yaml " +
    "and restart Synapse (it reads registrations only at start-up, so restart it after regenerating one too)";

export interface PingTarget {
    /** The registration's id, as in the ping's path. */
    id: string;
    /** The registration's url: where Synapse sends the ping on to. */
    url: string | null;
}

/**
 * What Synapse's answer to `POST /_matrix/client/v1/appservice/{id}/ping` means for the operator.
 * Synapse forwards the ping to `{url}/_matrix/app/v1/ping` and reports how that went (MSC2659).
 */
export function explainPingAnswer(answer: MatrixAnswer, target: PingTarget): Outcome {
    const url = shownBridgeUrl(target);
    const errcode = errcodeOf(answer);
    if (answer.status === 200) {
        return passed(`Synapse reached the bridge at ${url}`);
    }
    if (answer.status === 404 || errcode === "M_UNRECOGNIZED") {
        return failed(`the homeserver does not recognise the appservice ping for "${target.id}"`, LOAD_REGISTRATION_FIX);
    }
    switch (errcode) {
        case "M_CONNECTION_FAILED":
            return failed(
                `the bridge is not running or Synapse cannot reach ${url}`,
                "start the bridge; the registration's url must be an address at which Synapse reaches the bridge's port (bridge.port, or -p)",
            );
        case "M_CONNECTION_TIMEOUT":
            return failed(
                `Synapse got no answer from the bridge at ${url} in time`,
                "check the bridge's log; a firewall or proxy between Synapse and the bridge can also swallow the request",
            );
        case "M_BAD_STATUS":
            return failed(
                `the bridge at ${url} answered Synapse's ping with HTTP ${pingedStatus(answer)}`,
                "make sure this bridge (not another program) listens at the registration's url, with the same registration.yaml that Synapse loaded",
            );
        case "M_URL_NOT_SET":
            return failed(
                "the registration has no url, so Synapse cannot send anything to the bridge",
                "regenerate the registration with -u http://<bridge host>:<bridge.port> and restart Synapse",
            );
        case "M_FORBIDDEN":
            return failed(
                `the homeserver knows the as_token under another appservice id than "${target.id}"`,
                "registration.yaml differs from the file Synapse loaded: give both the same file and restart Synapse",
            );
    }
    return failed(`the homeserver answered the ping with HTTP ${answer.status} ${errcode}`.trimEnd(), "see the homeserver's log");
}

/** The registration's url fit for output, or words for it when it is missing or broken. */
export function shownBridgeUrl(target: PingTarget): string {
    return target.url && URL.canParse(target.url) ? displayUrl(target.url) : "the registration's url";
}

/** The status the bridge gave Synapse (M_BAD_STATUS carries it as `status`). */
function pingedStatus(answer: MatrixAnswer): string {
    const status = answer.body.status;
    return typeof status === "number" ? String(status) : "an error status";
}
