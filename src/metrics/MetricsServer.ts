import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { Logger } from "matrix-appservice-bridge";
import { MetricsConfig } from "../config/Config";

const log = new Logger("MetricsServer");

/** What is served: prom-client's Registry fits. */
export interface MetricsExposition {
    readonly contentType: string;
    metrics(): Promise<string>;
}

/** The Prometheus endpoint: `GET {path}` on its own port, nothing else. */
export class MetricsServer {
    private constructor(
        private readonly server: Server,
        /** The bound port (the configured one, or the one picked for port 0). */
        readonly port: number,
    ) {}

    static start(config: Pick<MetricsConfig, "port" | "bindAddress" | "path">, exposition: MetricsExposition): Promise<MetricsServer> {
        const server = createServer((req, res) => void respond(req, res, config.path, exposition));
        return new Promise((resolve, reject) => {
            server.once("error", (err) => reject(new Error(`Could not serve metrics on ${config.bindAddress}:${config.port}: ${err.message}`)));
            server.listen(config.port, config.bindAddress, () => {
                const { port } = server.address() as AddressInfo;
                log.info(`Prometheus metrics on http://${config.bindAddress}:${port}${config.path}`);
                resolve(new MetricsServer(server, port));
            });
        });
    }

    close(): Promise<void> {
        return new Promise((resolve) => {
            this.server.close(() => resolve());
            // Scrapers keep connections alive: drop them, or close() would wait for their idle timeout.
            this.server.closeAllConnections();
        });
    }
}

async function respond(req: IncomingMessage, res: ServerResponse, path: string, exposition: MetricsExposition): Promise<void> {
    const requestPath = (req.url ?? "/").split("?")[0];
    if (requestPath !== path) {
        return plain(res, 404, "Not found");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("Allow", "GET, HEAD");
        return plain(res, 405, "Method not allowed");
    }
    try {
        const body = await exposition.metrics();
        res.writeHead(200, { "Content-Type": exposition.contentType, "Cache-Control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
        log.error("Collecting metrics failed", err);
        plain(res, 500, "Metrics could not be collected");
    }
}

function plain(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(`${text}\n`);
}
