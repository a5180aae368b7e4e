import { createServer } from "node:net";

/**
 * Finds a free TCP port on 127.0.0.1 by binding port 0 and releasing it. Used for services that must
 * be told their port up front (Synapse's listener, the appservice URL written into a registration).
 * The port is free when returned; nothing holds it afterwards, so use it promptly.
 */
export function reserveLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            if (address === null || typeof address === "string") {
                server.close();
                reject(new Error("could not read the port of a loopback listener"));
                return;
            }
            server.close((err) => (err ? reject(err) : resolve(address.port)));
        });
    });
}
