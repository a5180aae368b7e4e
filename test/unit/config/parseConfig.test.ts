import { expect } from "chai";
import * as path from "node:path";
import { BridgeConfig } from "../../../src/config/Config";
import { ConfigError, parseConfig } from "../../../src/config/loadConfig";
import { minimalConfig, problemsOf, useTempDir } from "./helpers";

const BASE = "/etc/msb";
const parse = (raw: unknown, env: Record<string, string> = {}) => parseConfig(raw, env, BASE);
const problems = (raw: unknown, env: Record<string, string> = {}) => problemsOf(() => parse(raw, env));

describe("parseConfig", () => {
    describe("defaults", () => {
        it("fills every optional setting of a minimal config", () => {
            const expected: BridgeConfig = {
                homeserver: { url: "http://localhost:8008", domain: "example.com" },
                bridge: { port: 9000, bindAddress: "127.0.0.1", displayName: "Semaphore", dataDir: "/etc/msb/data" },
                commands: { prefix: "!cd", confirm: true, confirmTimeoutSeconds: 120 },
                logging: { level: "info" },
                permissions: [{ actor: "example.com", level: "commands" }],
                semaphore: {
                    url: "https://semaphore.example.com",
                    apiToken: "semaphore-inline-token",
                    ignoreSsl: false,
                    requestTimeoutMs: 10000,
                },
                gotify: { url: "https://gotify.example.com", clientToken: "gotify-inline-token", appName: "Semaphore", ignoreSsl: false },
                monitor: {
                    source: "gotify",
                    fallbackPollIntervalSeconds: 60,
                    pollIntervalSeconds: 10,
                    startingPollIntervalSeconds: 3,
                    reconcileIntervalSeconds: 300,
                },
                database: { engine: "nedb" },
                metrics: { enabled: false, port: 9002, bindAddress: "127.0.0.1", path: "/metrics" },
                admin: { sourceDownAlertMinutes: 10 },
            };
            expect(parse(minimalConfig())).to.deep.equal(expected);
        });

        it("keeps explicit permissions instead of the homeserver-wide default", () => {
            const raw = { ...minimalConfig(), permissions: [{ actor: "@alice:example.com", level: "admin" }] };
            expect(parse(raw).permissions).to.deep.equal([{ actor: "@alice:example.com", level: "admin" }]);
        });

        it("fills defaults inside a section that sets only some keys", () => {
            const raw = { ...minimalConfig(), monitor: { source: "polling", pollIntervalSeconds: 5 } };
            expect(parse(raw).monitor).to.deep.equal({
                source: "polling",
                fallbackPollIntervalSeconds: 60,
                pollIntervalSeconds: 5,
                startingPollIntervalSeconds: 3,
                reconcileIntervalSeconds: 300,
            });
        });

        it("treats a key left empty in YAML (null) as not set", () => {
            const raw = { ...minimalConfig(), bridge: null, commands: { prefix: null, confirm: false } };
            const config = parse(raw);
            expect(config.bridge.port).to.equal(9000);
            expect(config.commands).to.deep.equal({ prefix: "!cd", confirm: false, confirmTimeoutSeconds: 120 });
        });

        it("drops trailing slashes from base URLs", () => {
            const raw = minimalConfig();
            raw.semaphore.url = "https://semaphore.example.com/";
            raw.gotify.url = "https://gotify.example.com/gotify/";
            const config = parse(raw);
            expect(config.semaphore.url).to.equal("https://semaphore.example.com");
            expect(config.gotify?.url).to.equal("https://gotify.example.com/gotify");
        });

        it("reads a postgres database with its url", () => {
            const raw = { ...minimalConfig(), database: { engine: "postgres", url: "postgres://bridge:pw@db/bridge" } };
            expect(parse(raw).database).to.deep.equal({ engine: "postgres", url: "postgres://bridge:pw@db/bridge" });
        });
    });

    describe("gotify section", () => {
        it("is required when monitor.source is gotify by default", () => {
            const raw = minimalConfig();
            delete raw.gotify;
            expect(problems(raw)).to.deep.equal(["gotify: missing (required when monitor.source is gotify, the default)"]);
        });

        it("may be left out when polling", () => {
            const raw: Record<string, any> = { ...minimalConfig(), monitor: { source: "polling" } };
            delete raw.gotify;
            expect(parse(raw).gotify).to.equal(undefined);
        });

        it("is not created by a Gotify token in the environment alone", () => {
            const raw: Record<string, any> = { ...minimalConfig(), monitor: { source: "semaphore" } };
            delete raw.gotify;
            expect(parse(raw, { MSB_GOTIFY_CLIENT_TOKEN: "Cabc" }).gotify).to.equal(undefined);
        });
    });

    describe("problem lines", () => {
        const cases: [string, (raw: Record<string, any>) => void, string][] = [
            ["a URL that is not one", (raw) => (raw.gotify.url = "gotify.example.com"), "gotify.url: must be a URL"],
            ["a URL of another scheme", (raw) => (raw.homeserver.url = "ftp://example.com"), "homeserver.url: must be a URL"],
            ["a port out of range", (raw) => (raw.bridge = { port: 70000 }), "bridge.port: must be an integer between 1 and 65535"],
            ["a port of 0", (raw) => (raw.bridge = { port: 0 }), "bridge.port: must be an integer between 1 and 65535"],
            ["a port written as text", (raw) => (raw.bridge = { port: "9000" }), "bridge.port: must be an integer between 1 and 65535"],
            ["a fractional interval", (raw) => (raw.monitor = { pollIntervalSeconds: 1.5 }), "monitor.pollIntervalSeconds: must be an integer of at least 1"],
            [
                "an unknown permission level",
                (raw) => (raw.permissions = [{ actor: "example.com", level: "commands" }, { actor: "@bob:example.com", level: "boss" }]),
                "permissions[1].level: must be one of notifications, commands, manage, admin",
            ],
            [
                "a rule without level",
                (raw) => (raw.permissions = [{ actor: "example.com" }]),
                "permissions[0].level: missing",
            ],
            [
                "an actor that is a URL",
                (raw) => (raw.permissions = [{ actor: "https://example.com", level: "admin" }]),
                "permissions[0].actor: must be a user id (@user:server), a server name or *",
            ],
            ["a misspelt key", (raw) => (raw.monitor = { sourc: "gotify" }), "monitor.sourc: unknown key (did you mean monitor.source?)"],
            ["a snake_case key", (raw) => (raw.semaphore.api_token = "x"), "semaphore.api_token: unknown key (did you mean semaphore.apiToken?)"],
            ["an unknown top-level key", (raw) => (raw.zebra = true), "zebra: unknown key"],
            ["an unknown source", (raw) => (raw.monitor = { source: "webhook" }), "monitor.source: must be one of gotify, semaphore, polling"],
            ["a section that is not a mapping", (raw) => (raw.metrics = "on"), "metrics: must be a mapping"],
            ["a boolean written as text", (raw) => (raw.commands = { confirm: "yes" }), "commands.confirm: must be true or false"],
            ["a prefix with a space", (raw) => (raw.commands = { prefix: "! cd" }), "commands.prefix: must be a non-empty word without spaces"],
            ["a domain with a scheme", (raw) => (raw.homeserver.domain = "https://example.com"), "homeserver.domain: must be a server name like example.com (no scheme, no path)"],
            ["a missing required key", (raw) => delete raw.homeserver.url, "homeserver.url: missing"],
            ["Semaphore's API URL", (raw) => (raw.semaphore.url = "https://semaphore.example.com/api"), "semaphore.url: must be the base URL of Semaphore, without /api"],
            ["a metrics path without slash", (raw) => (raw.metrics = { path: "metrics" }), "metrics.path: must start with /"],
            [
                "a missing Semaphore token",
                (raw) => delete raw.semaphore.apiToken,
                "semaphore.apiToken: missing (set it, semaphore.apiTokenFile or MSB_SEMAPHORE_API_TOKEN)",
            ],
            [
                "a missing Gotify client token",
                (raw) => delete raw.gotify.clientToken,
                "gotify.clientToken: missing (set it, gotify.clientTokenFile or MSB_GOTIFY_CLIENT_TOKEN)",
            ],
            [
                "postgres without a URL",
                (raw) => (raw.database = { engine: "postgres" }),
                "database.url: missing (set it, database.urlFile or MSB_DATABASE_URL)",
            ],
        ];
        for (const [what, change, line] of cases) {
            it(`reports ${what}`, () => {
                const raw = minimalConfig();
                change(raw);
                expect(problems(raw)).to.deep.equal([line]);
            });
        }

        it("reports every problem at once, one line each", () => {
            const raw = minimalConfig();
            raw.gotify.url = "nope";
            raw.bridge = { port: 0 };
            raw.monitor = { sourc: "gotify" };
            expect(problems(raw)).to.have.members([
                "gotify.url: must be a URL",
                "bridge.port: must be an integer between 1 and 65535",
                "monitor.sourc: unknown key (did you mean monitor.source?)",
            ]);
        });

        it("lists each missing section of an empty document", () => {
            expect(problems(null)).to.deep.equal([
                "homeserver: missing",
                "semaphore: missing",
                "gotify: missing (required when monitor.source is gotify, the default)",
            ]);
        });

        it("rejects a document that is not a mapping", () => {
            expect(problems(["a", "list"])).to.deep.equal(["(top level): must be a mapping"]);
        });

        it("never echoes a secret value, even a malformed one", () => {
            const raw = minimalConfig();
            raw.semaphore.apiToken = 987654321;
            raw.database = { engine: "postgres", url: "not-a-url-hunter2" };
            let message = "";
            try {
                parse(raw);
            } catch (err) {
                message = [(err as ConfigError).message, ...(err as ConfigError).problems].join("\n");
            }
            expect(message).to.contain("semaphore.apiToken: must be a non-empty string");
            expect(message).to.contain("database.url: must be a postgres:// URL");
            expect(message).not.to.contain("987654321");
            expect(message).not.to.contain("hunter2");
        });
    });

    describe("files named in the config", () => {
        const temp = useTempDir();

        it("reports an unreadable CA file by its resolved path", () => {
            const raw = minimalConfig();
            raw.semaphore.caFile = "certs/absent.pem";
            const expectedPath = path.join(temp.dir, "certs/absent.pem");
            expect(problemsOf(() => parseConfig(raw, {}, temp.dir))).to.deep.equal([`semaphore.caFile: cannot read ${expectedPath}: ENOENT`]);
        });

        it("resolves relative paths from the config directory", () => {
            temp.write("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n");
            const raw = minimalConfig();
            raw.bridge = { dataDir: "state" };
            raw.logging = { file: "../logs/bridge.log" };
            raw.gotify.caFile = "certs/ca.pem";
            const config = parseConfig(raw, {}, temp.dir);
            expect(config.bridge.dataDir).to.equal(path.join(temp.dir, "state"));
            expect(config.logging.file).to.equal(path.join(path.dirname(temp.dir), "logs/bridge.log"));
            expect(config.gotify?.caFile).to.equal(path.join(temp.dir, "certs/ca.pem"));
        });

        it("keeps absolute paths as they are", () => {
            const raw = minimalConfig();
            raw.bridge = { dataDir: "/var/lib/msb" };
            expect(parseConfig(raw, {}, temp.dir).bridge.dataDir).to.equal("/var/lib/msb");
        });
    });
});
