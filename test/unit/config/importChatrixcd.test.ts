import { expect } from "chai";
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { importChatrixcd } from "../../../src/cli/importChatrixcd";
import { importChatrixcdConfig } from "../../../src/config/chatrixcdImport";
import { BridgeConfig } from "../../../src/config/Config";
import { loadConfig } from "../../../src/config/loadConfig";
import { projectRoot } from "../../../src/config/schema";
import { useTempDir } from "./helpers";

const FIXTURES = path.join(projectRoot(), "test/fixtures/chatrixcd");
const WEBHOOK_CONFIG = path.join(FIXTURES, "webhook/config.json");
const WEBHOOK_PLUGIN = path.join(FIXTURES, "webhook/plugin.json");
const POLLING_CONFIG = path.join(FIXTURES, "polling/config.json");
const TOKENS = ["matrix-password-do-not-leak", "semaphore-token-do-not-leak", "gotify-client-token-do-not-leak", "gotify-app-token-do-not-leak"];

async function run(argv: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await importChatrixcd(argv, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    return { code, stdout, stderr };
}

const APPSERVICE_LOGIN = "not imported (an application service logs in with the tokens of registration.yaml, not as a user)";
const NO_GREETINGS = "not imported (the bridge posts no startup or shutdown messages)";

describe("import-chatrixcd", () => {
    const temp = useTempDir();

    describe("a webhook (Gotify) setup with plugin.json", () => {
        it("writes a config that loads to the expected bridge configuration", async () => {
            const output = path.join(temp.dir, "config.yaml");
            const { code } = await run(["--config", WEBHOOK_CONFIG, "--plugin", WEBHOOK_PLUGIN, "--output", output]);
            expect(code).to.equal(0);
            const expected: BridgeConfig = {
                homeserver: { url: "https://matrix.example.org", domain: "example.org" },
                bridge: { port: 9000, bindAddress: "127.0.0.1", displayName: "Semaphore", dataDir: path.join(temp.dir, "data") },
                commands: { prefix: "!ci", confirm: true, confirmTimeoutSeconds: 120 },
                logging: { level: "debug", file: path.join(FIXTURES, "webhook/chatrixcd.log") },
                permissions: [
                    { actor: "example.org", level: "commands" },
                    { actor: "@alice:example.org", level: "admin" },
                    { actor: "@bob:example.org", level: "admin" },
                ],
                semaphore: {
                    url: "https://semaphore.example.org",
                    apiToken: "semaphore-token-do-not-leak",
                    ignoreSsl: true,
                    caFile: path.join(FIXTURES, "webhook/certs/internal-ca.pem"),
                    requestTimeoutMs: 10000,
                },
                gotify: {
                    url: "https://gotify.example.org",
                    clientToken: "gotify-client-token-do-not-leak",
                    appToken: "gotify-app-token-do-not-leak",
                    appName: "Semaphore",
                    ignoreSsl: true,
                },
                monitor: {
                    source: "gotify",
                    fallbackPollIntervalSeconds: 30,
                    pollIntervalSeconds: 10,
                    startingPollIntervalSeconds: 3,
                    reconcileIntervalSeconds: 300,
                },
                database: { engine: "nedb" },
                metrics: { enabled: false, port: 9002, bindAddress: "127.0.0.1", path: "/metrics" },
                admin: { sourceDownAlertMinutes: 10 },
            };
            expect(loadConfig(output, {})).to.deep.equal(expected);
        });

        it("warns once per ChatrixCD key without an equivalent, explaining allowed_rooms", async () => {
            const { stderr } = await run(["--config", WEBHOOK_CONFIG, "--plugin", WEBHOOK_PLUGIN]);
            expect(stderr).to.deep.equal([
                "warning: matrix.user_id: not imported (the bot user is registration.yaml's sender_localpart)",
                `warning: matrix.device_id: ${APPSERVICE_LOGIN}`,
                `warning: matrix.device_name: ${APPSERVICE_LOGIN}`,
                `warning: matrix.auth_type: ${APPSERVICE_LOGIN}`,
                `warning: matrix.password: ${APPSERVICE_LOGIN}`,
                `warning: matrix.store_path: ${APPSERVICE_LOGIN}`,
                "warning: bot.allowed_rooms: not imported (rooms are not actors: permissions go to users (@user:server), " +
                    "servers or *, and the bot acts in any room it is invited to. Limit who may command it with permissions, " +
                    "and invite it only where it belongs)",
                `warning: bot.greetings_enabled: ${NO_GREETINGS}`,
                `warning: bot.startup_message: ${NO_GREETINGS}`,
                `warning: bot.shutdown_message: ${NO_GREETINGS}`,
                "warning: bot.tui_mode: not imported (the bridge has no terminal interface)",
                "warning: plugins.aliases: not imported (no equivalent in the bridge)",
            ]);
        });

        it("copies tokens into the output but never prints them to stderr", async () => {
            const output = path.join(temp.dir, "config.yaml");
            const { stderr } = await run(["--config", WEBHOOK_CONFIG, "--plugin", WEBHOOK_PLUGIN, "--output", output]);
            const written = readFileSync(output, "utf8");
            for (const token of TOKENS.slice(1)) expect(written).to.contain(token);
            for (const token of TOKENS) expect(stderr.join("\n")).not.to.contain(token);
            expect(written).not.to.contain("matrix-password-do-not-leak");
        });

        it("makes the output file readable by its owner only", async () => {
            const output = path.join(temp.dir, "config.yaml");
            await run(["--config", WEBHOOK_CONFIG, "--plugin", WEBHOOK_PLUGIN, "--output", output]);
            expect(statSync(output).mode & 0o777).to.equal(0o600);
        });

        it("does not overwrite an existing file", async () => {
            const output = temp.write("config.yaml", "keep me\n");
            const { code, stderr } = await run(["--config", WEBHOOK_CONFIG, "--output", output]);
            expect(code).to.equal(2);
            expect(stderr.at(-1)).to.equal(`${output}: cannot write: EEXIST`);
            expect(readFileSync(output, "utf8")).to.equal("keep me\n");
        });
    });

    describe("an older polling-only setup on standard output", () => {
        it("prints exactly this YAML", async () => {
            const { code, stdout, stderr } = await run(["--config", POLLING_CONFIG]);
            expect(code).to.equal(0);
            expect(stdout.join("\n")).to.equal(
                [
                    `# Imported from ChatrixCD (${POLLING_CONFIG}) by matrix-semaphore-bridge import-chatrixcd.`,
                    "# Settings not listed take their defaults: see docs/configuration.md and config.sample.yaml.",
                    "# This file holds tokens copied from ChatrixCD. Keep it private, or move them to the MSB_*",
                    "# environment variables or ...File keys described in docs/configuration.md.",
                    "homeserver:",
                    "  url: https://matrix.example.net/",
                    "  domain: example.net",
                    "commands:",
                    "  prefix: '!cd'",
                    "logging:",
                    "  level: info",
                    "semaphore:",
                    "  url: https://semaphore.example.net",
                    "  apiToken: semaphore-token-2",
                    "monitor:",
                    "  source: polling",
                ].join("\n"),
            );
            expect(stderr).to.deep.equal([
                "warning: matrix.user_id: not imported (the bot user is registration.yaml's sender_localpart)",
                `warning: matrix.auth_type: ${APPSERVICE_LOGIN}`,
            ]);
        });

        it("takes --homeserver-url and --domain over ChatrixCD's values", async () => {
            const { stdout } = await run(["--config", POLLING_CONFIG, "--homeserver-url", "http://localhost:8008", "--domain", "internal.example.net"]);
            const config = yaml.load(stdout.join("\n")) as Record<string, any>;
            expect(config.homeserver).to.deep.equal({ url: "http://localhost:8008", domain: "internal.example.net" });
        });
    });

    describe("command line", () => {
        it("requires --config", async () => {
            const { code, stderr } = await run([]);
            expect(code).to.equal(2);
            expect(stderr[0]).to.match(/^Missing --config\.\nUsage: matrix-semaphore-bridge import-chatrixcd/);
        });

        it("rejects unknown options", async () => {
            const { code, stderr } = await run(["--config", POLLING_CONFIG, "--ouput", "x.yaml"]);
            expect(code).to.equal(2);
            expect(stderr[0]).to.contain("--ouput");
        });

        it("reports an unparsable file by position, without echoing its text", async () => {
            const file = temp.write("config.json", '{\n  "semaphore": {\n    "api_token": "secret-in-broken-file" }}}\n');
            const { code, stderr } = await run(["--config", file]);
            expect(code).to.equal(2);
            expect(stderr).to.have.length(1);
            expect(stderr[0]).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot parse: .* at line 3,\\d+$`));
            expect(stderr[0]).not.to.contain("secret-in-broken-file");
        });

        it("reports a missing file", async () => {
            const file = path.join(temp.dir, "absent.json");
            const { code, stderr } = await run(["--config", file]);
            expect([code, stderr]).to.deep.equal([2, [`${file}: cannot read: ENOENT`]]);
        });

        it("still writes a config that needs edits, lists them and exits 1", async () => {
            const file = temp.write("config.json", '{ "matrix": { "homeserver": "https://matrix.example.org" }, "bot": { "command_prefix": "!cd" } }');
            const output = path.join(temp.dir, "config.yaml");
            const { code, stderr } = await run(["--config", file, "--output", output]);
            expect(code).to.equal(1);
            expect(stderr).to.deep.equal([
                `Wrote ${output}.`,
                "The generated configuration needs these edits before the bridge accepts it:",
                "  - semaphore: missing",
            ]);
            expect(readFileSync(output, "utf8")).to.contain("domain: matrix.example.org");
        });
    });
});

describe("importChatrixcdConfig", () => {
    const options = { configDir: "/srv/chatrixcd" };
    const base = {
        matrix: { homeserver: "https://matrix.example.org", user_id: "@cd:example.org" },
        semaphore: { url: "https://semaphore.example.org", api_token: "s" },
    };
    const plugin = { enabled: true, gotify_url: "https://gotify.example.org", gotify_token: "C-plugin", webhook_mode: "websocket", fallback_poll_interval: 60 };

    it("lets config.json's plugins.semaphore_webhook override plugin.json key by key", () => {
        const configJson = { ...base, plugins: { semaphore_webhook: { gotify_token: "C-config", fallback_poll_interval: null } } };
        const { config } = importChatrixcdConfig(configJson, plugin, options);
        expect([config.gotify, config.monitor]).to.deep.equal([
            { url: "https://gotify.example.org", clientToken: "C-config" },
            { source: "gotify", fallbackPollIntervalSeconds: 60 },
        ]);
    });

    it("works from config.json alone", () => {
        const configJson = { ...base, plugins: { semaphore_webhook: { ...plugin, gotify_app_token: "A1", ignore_ssl: false } } };
        expect(importChatrixcdConfig(configJson, undefined, options).config.gotify).to.deep.equal({
            url: "https://gotify.example.org",
            clientToken: "C-plugin",
            appToken: "A1",
        });
    });

    const sources: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
        ["the plugin is disabled", { ...plugin, enabled: false }, {}, "polling"],
        ["the plugin polls Gotify", { ...plugin, webhook_mode: "polling" }, {}, "polling"],
        ["the plugin listens on the websocket", plugin, {}, "gotify"],
        ["plugins are not loaded at all", plugin, { load_plugins: false }, "polling"],
    ];
    for (const [when, pluginJson, bot, source] of sources) {
        it(`sets monitor.source to ${source} when ${when}`, () => {
            expect(importChatrixcdConfig({ ...base, bot }, pluginJson, options).config.monitor).to.include({ source });
        });
    }

    it("explains that plugins being off meant no task watching", () => {
        const { warnings } = importChatrixcdConfig({ ...base, bot: { load_plugins: false } }, plugin, options);
        expect(warnings).to.include(
            "bot.load_plugins: not imported (task watching is built in; with plugins off ChatrixCD watched nothing, so monitor.source is polling)",
        );
    });

    it("maps the polling plugin's interval and warns about its notices", () => {
        const configJson = { ...base, plugins: { semaphore_poll: { enabled: true, poll_interval: 15, notification_interval: 300 } } };
        const { config, warnings } = importChatrixcdConfig(configJson, undefined, options);
        expect(config.monitor).to.deep.equal({ source: "polling", pollIntervalSeconds: 15 });
        expect(warnings).to.include("plugins.semaphore_poll.notification_interval: not imported (the bridge posts no periodic still-running notices)");
    });

    it("maps ChatrixCD's verbosity to a log level", () => {
        const level = (verbosity: string) => importChatrixcdConfig({ ...base, bot: { verbosity } }, undefined, options).config.logging;
        expect([level("silent"), level("error"), level("info"), level("debug")]).to.deep.equal([
            { level: "error" },
            { level: "error" },
            { level: "info" },
            { level: "debug" },
        ]);
    });

    it("warns about unknown keys anywhere, including the top level, and skips empty ones", () => {
        const configJson = { ...base, _config_version: 5, webui: { port: 8080 }, semaphore: { ...base.semaphore, ssl_client_cert: "/c.pem", ssl_client_key: "" } };
        expect(importChatrixcdConfig(configJson, undefined, options).warnings).to.deep.equal([
            "matrix.user_id: not imported (the bot user is registration.yaml's sender_localpart)",
            "semaphore.ssl_client_cert: not imported (client certificates are not supported)",
            "webui: not imported (no equivalent in the bridge)",
        ]);
    });

    it("resolves a relative CA certificate from ChatrixCD's directory and keeps ssl_verify true as the default", () => {
        const configJson = { ...base, semaphore: { ...base.semaphore, ssl_verify: true, ssl_ca_cert: "ca.pem" } };
        expect(importChatrixcdConfig(configJson, undefined, options).config.semaphore).to.deep.equal({
            url: "https://semaphore.example.org",
            apiToken: "s",
            caFile: "/srv/chatrixcd/ca.pem",
        });
    });
});
