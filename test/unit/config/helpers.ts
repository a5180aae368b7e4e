import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../../src/config/ConfigError";

/** The smallest valid config.yaml content (as parsed YAML), with inline secrets. */
export function minimalConfig(): Record<string, any> {
    return {
        homeserver: { url: "http://localhost:8008", domain: "example.com" },
        semaphore: { url: "https://semaphore.example.com", apiToken: "semaphore-inline-token" },
        gotify: { url: "https://gotify.example.com", clientToken: "gotify-inline-token" },
    };
}

/** The problem lines of the ConfigError `run` throws; fails the test when it does not throw one. */
export function problemsOf(run: () => unknown): readonly string[] {
    try {
        run();
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
    throw new Error("expected a ConfigError, but the configuration was accepted");
}

/** A scratch directory per test, removed afterwards. Call in a describe block. */
export function useTempDir(): { readonly dir: string; write(name: string, content: string): string } {
    let dir = "";
    beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), "msb-config-"));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });
    return {
        get dir() {
            return dir;
        },
        write(name: string, content: string): string {
            const file = path.join(dir, name);
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, content);
            return file;
        },
    };
}
