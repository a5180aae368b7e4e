import { Bridge } from "matrix-appservice-bridge";
import { BridgeConfig } from "../config/Config";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { SemaphoreClient } from "../semaphore/SemaphoreClient";
import { CommandServices, Confirmations, Probe, TaskWatcher } from "../commands/services";

function timed(check: () => Promise<unknown>, describeError: (err: unknown) => string): Promise<Probe> {
    const started = Date.now();
    return check().then(
        () => ({ ok: true, detail: `answered in ${Date.now() - started} ms` }),
        (err) => ({ ok: false, detail: describeError(err) }),
    );
}

export interface CommandServicesDeps {
    config: BridgeConfig;
    store: TaskRoomStore;
    semaphore: SemaphoreClient;
    watcher: TaskWatcher;
    confirmations: Confirmations;
    bridge: Bridge;
}

/** What command handlers may use, including the reachability probes behind `!cd ping`. */
export function commandServices(deps: CommandServicesDeps): CommandServices {
    const { config, semaphore, bridge } = deps;
    return {
        config,
        store: deps.store,
        semaphore,
        watcher: deps.watcher,
        confirmations: deps.confirmations,
        checkHomeserver: () =>
            timed(
                () => bridge.getBot().getClient().doRequest("GET", "/_matrix/client/versions"),
                () => `the homeserver at ${config.homeserver.url} is not answering`,
            ),
        checkSemaphore: () =>
            timed(
                async () => {
                    if (!(await semaphore.ping())) throw new Error("no pong");
                },
                () => `Semaphore at ${config.semaphore.url} is not answering`,
            ),
    };
}
