import { AppServiceRegistration } from "matrix-appservice-bridge";

/** Marker used by the committed example registration.yaml; real tokens never contain it. */
export const PLACEHOLDER_MARKER = "PLACEHOLDER";

export class RegistrationError extends Error {}

/**
 * The committed registration.yaml is an annotated example. Starting with its tokens would let anyone
 * who read the repository impersonate the homeserver, so refuse and say how to make a real one.
 */
export function assertUsableRegistration(registration: AppServiceRegistration, registrationPath = "registration.yaml"): void {
    const tokens = [registration.getAppServiceToken(), registration.getHomeserverToken()];
    if (tokens.some((t) => !t || t.includes(PLACEHOLDER_MARKER))) {
        throw new RegistrationError(
            `${registrationPath} holds placeholder tokens. Generate a real registration with\n` +
                `  matrix-semaphore-bridge -r -u http://<bridge host>:9000 -c config.yaml -f ${registrationPath}\n` +
                "then add its path to app_service_config_files in Synapse's homeserver.yaml and restart Synapse.",
        );
    }
    if (!registration.getSenderLocalpart()) {
        throw new RegistrationError(`${registrationPath} has no sender_localpart; regenerate it with -r.`);
    }
}
