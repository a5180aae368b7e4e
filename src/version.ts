import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The bridge's own version, read once from package.json (dist/src/ → repository root). */
export const BRIDGE_VERSION: string = (() => {
    for (const candidate of [join(__dirname, "..", "..", "package.json"), join(__dirname, "..", "package.json")]) {
        try {
            const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "matrix-semaphore-bridge" && pkg.version) return pkg.version;
        } catch {
            // try the next location
        }
    }
    return "unknown";
})();
