import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import { formatCheck } from "../../../src/doctor/report";
import { Outcome } from "../../../src/doctor/results";
import { CONFIG_TITLE, REGISTRATION_TITLE, checkConfig, checkRegistration } from "../../../src/doctor/setupChecks";

const EXAMPLE_REGISTRATION = path.resolve(__dirname, "../../../../registration.yaml");
const AS_TOKEN = "as-4f0c9d2e8b7a6c5d4e3f2a1b";
const HS_TOKEN = "hs-9a8b7c6d5e4f3a2b1c0d9e8f";

const VALID_CONFIG = [
    "homeserver: { url: 'http://127.0.0.1:8008', domain: example.com }",
    "semaphore: { url: 'https://semaphore.example.com', apiToken: sem-secret }",
    "monitor: { source: polling }",
].join("\n");

function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        id: "semaphore-abc",
        url: "http://127.0.0.1:9000",
        as_token: AS_TOKEN,
        hs_token: HS_TOKEN,
        sender_localpart: "semaphore",
        namespaces: { users: [{ exclusive: true, regex: "^@semaphore:example\\.com$" }], aliases: [], rooms: [] },
        rate_limited: false,
        ...overrides,
    };
}

const lines = (title: string, outcome: Outcome) => formatCheck({ title, ...outcome });

describe("doctor: configuration and registration", () => {
    let dir: string;

    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "msb-doctor-setup-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** Writes `name` into the test's directory; returns its path, which the output repeats as given. */
    function file(name: string, content: string): string {
        const at = path.join(dir, name);
        writeFileSync(at, content);
        return at;
    }

    const files = (registrationPath: string) => ({ configPath: "config.yaml", registrationPath });

    describe("configuration", () => {
        it("accepts a valid file and hands on the typed config", () => {
            const name = file("config.yaml", VALID_CONFIG);
            const { outcome, config } = checkConfig(name, {});
            expect(lines(CONFIG_TITLE, outcome)).to.deep.equal([`✅ Configuration: ${name} is valid`]);
            expect(config?.homeserver).to.deep.equal({ url: "http://127.0.0.1:8008", domain: "example.com" });
        });

        it("lists every problem loadConfig found, one per line, without the secret", () => {
            const text = [
                "homeserver: { url: 'http://127.0.0.1:8008', domain: example.com }",
                "bridge: { port: 70000 }",
                "semaphore: { url: 'not a url', apiToken: sem-secret }",
            ].join("\n");
            const name = file("broken.yaml", text);
            const { outcome, config } = checkConfig(name, {});
            expect(config).to.equal(undefined);
            expect(lines(CONFIG_TITLE, outcome).join("\n")).not.to.contain("sem-secret");
            expect(lines(CONFIG_TITLE, outcome)).to.deep.equal([
                `❌ Configuration: ${name} has 3 problems`,
                "   - bridge.port: must be an integer between 1 and 65535",
                "   - semaphore.url: must be a URL",
                "   - gotify: missing (required when monitor.source is gotify, the default)",
                "   Fix: correct the problems above; docs/configuration.md describes every key, config.sample.yaml shows an example",
            ]);
        });

        it("takes secrets from the environment it is given", () => {
            const text = VALID_CONFIG.replace("apiToken: sem-secret", "requestTimeoutMs: 3000");
            const name = file("env.yaml", text);
            expect(checkConfig(name, {}).outcome.notes).to.deep.equal([
                "- semaphore.apiToken: missing (set it, semaphore.apiTokenFile or MSB_SEMAPHORE_API_TOKEN)",
            ]);
            const { config } = checkConfig(name, { MSB_SEMAPHORE_API_TOKEN: "from-env" });
            expect(config?.semaphore.apiToken).to.equal("from-env");
        });

        it("says when the file cannot be read and how to get one", () => {
            const name = path.join(dir, "missing.yaml");
            expect(lines(CONFIG_TITLE, checkConfig(name, {}).outcome)).to.deep.equal([
                `❌ Configuration: cannot read ${name} (ENOENT)`,
                "   Fix: pass the path of your config.yaml with -c, or start one from config.sample.yaml",
            ]);
        });
    });

    describe("registration", () => {
        const generate =
            "   Fix: generate one with: matrix-semaphore-bridge -r -u http://<bridge host>:<bridge.port> -c config.yaml -f REG, " +
            "then add its path to app_service_config_files in Synapse's homeserver.yaml and restart Synapse";

        it("accepts a generated registration and names its id, bot and URL", () => {
            const name = file("registration.yaml", yaml.dump(registration()));
            const { outcome, registration: reg } = checkRegistration(files(name), "example.com");
            expect(lines(REGISTRATION_TITLE, outcome)).to.deep.equal([
                `✅ Registration: ${name} is usable (id semaphore-abc, bot @semaphore:example.com, bridge URL http://127.0.0.1:9000)`,
            ]);
            expect(reg?.getAppServiceToken()).to.equal(AS_TOKEN);
        });

        it("refuses the committed example with its placeholder tokens, saying how to generate a real one", () => {
            const { outcome, registration: reg } = checkRegistration(files(EXAMPLE_REGISTRATION), "example.com");
            expect(reg).to.equal(undefined);
            expect(lines(REGISTRATION_TITLE, outcome)).to.deep.equal([
                `❌ Registration: ${EXAMPLE_REGISTRATION} holds placeholder tokens. Generate a real registration with`,
                `     matrix-semaphore-bridge -r -u http://<bridge host>:9000 -c config.yaml -f ${EXAMPLE_REGISTRATION}`,
                "   then add its path to app_service_config_files in Synapse's homeserver.yaml and restart Synapse.",
            ]);
        });

        it("fails when the registration claims the bot of another domain", () => {
            const name = file("other-domain.yaml", yaml.dump(registration()));
            expect(lines(REGISTRATION_TITLE, checkRegistration(files(name), "matrix.example.org").outcome)).to.deep.equal([
                `❌ Registration: ${name} does not claim the bot @semaphore:matrix.example.org exclusively (its users namespace is for another user or domain)`,
                "   Fix: homeserver.domain must be the domain the registration was generated for; after changing it, " +
                    generate.slice("   Fix: ".length).replace("REG", name),
            ]);
        });

        it("fails without an id, which the appservice ping needs", () => {
            const name = file("no-id.yaml", yaml.dump(registration({ id: undefined })));
            expect(lines(REGISTRATION_TITLE, checkRegistration(files(name), "example.com").outcome)).to.deep.equal([
                `❌ Registration: ${name} has no id`,
                generate.replace("REG", name),
            ]);
        });

        it("says when the file is missing, or holds no mapping", () => {
            const nowhere = path.join(dir, "nowhere.yaml");
            expect(lines(REGISTRATION_TITLE, checkRegistration(files(nowhere), "example.com").outcome)).to.deep.equal([
                `❌ Registration: cannot read ${nowhere} (ENOENT)`,
                generate.replace("REG", nowhere),
            ]);
            const list = file("list.yaml", "- a\n- b\n");
            expect(lines(REGISTRATION_TITLE, checkRegistration(files(list), "example.com").outcome)).to.deep.equal([
                `❌ Registration: ${list} does not hold a registration (expected a YAML mapping)`,
                generate.replace("REG", list),
            ]);
        });

        it("reports a YAML error by position only, never quoting the file that holds the tokens", () => {
            const text = `id: semaphore-abc\nas_token: ${AS_TOKEN}\nhs_token: [${HS_TOKEN}\n`;
            const name = file("broken-registration.yaml", text);
            const out = lines(REGISTRATION_TITLE, checkRegistration(files(name), "example.com").outcome);
            expect(out[0]).to.equal(`❌ Registration: ${name} is not valid YAML at line 4: unexpected end of the stream within a flow collection`);
            expect(out.join("\n")).not.to.contain(AS_TOKEN.slice(3, 12)).and.not.to.contain(HS_TOKEN.slice(3, 12));
        });

        it("can be checked without a configuration, then without naming the bot", () => {
            const name = file("alone.yaml", yaml.dump(registration({ url: null })));
            expect(lines(REGISTRATION_TITLE, checkRegistration(files(name)).outcome)).to.deep.equal([
                `✅ Registration: ${name} is usable (id semaphore-abc, no bridge URL)`,
            ]);
        });
    });
});
