import { Bridge, Logger } from "matrix-appservice-bridge";
import { BridgeHealth } from "./BridgeHealth";

const log = new Logger("Health");

export const HEALTH_PATH = "/health";

interface RouteLayer {
    route?: { path?: unknown; methods?: Record<string, boolean> };
}

/**
 * Serves the JSON health report at GET /health on the appservice port, without the homeserver
 * token (orchestrators have none). Call after bridge.run().
 */
export function serveHealth(bridge: Bridge, health: BridgeHealth): void {
    if (!dropBuiltInHealthRoute(bridge.appService.expressApp)) {
        log.warn(`matrix-appservice's own ${HEALTH_PATH} route was not found; ${HEALTH_PATH} may answer a bare "OK" instead of the health report`);
    }
    bridge.addAppServicePath({
        method: "GET",
        path: HEALTH_PATH,
        authenticate: false,
        handler: (_req, res) => {
            health
                .check()
                .then((report) => res.status(report.httpStatus).set("Cache-Control", "no-store").json(report.body))
                .catch((err: unknown) => {
                    log.error("The health check itself failed", err);
                    res.status(503).json({ status: "unavailable", reason: "the health check failed" });
                });
        },
    });
}

/**
 * matrix-appservice registers GET /health (a bare "OK") before any path a bridge can add, and express
 * serves the first route that matches: that one has to go for ours to answer. Express 4 keeps routes
 * in `_router.stack`; returns false when it finds no such route there.
 */
function dropBuiltInHealthRoute(app: object): boolean {
    const stack = (app as { _router?: { stack?: RouteLayer[] } })._router?.stack ?? [];
    const index = stack.findIndex((layer) => layer.route?.path === HEALTH_PATH && layer.route.methods?.get === true);
    if (index < 0) return false;
    stack.splice(index, 1);
    return true;
}
