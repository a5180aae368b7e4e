import { expect } from "chai";
import * as path from "node:path";
import { ConfigError, formatConfigErrors, loadConfig } from "../../../src/config/loadConfig";
import { problemsOf, useTempDir } from "./helpers";

const VALID_YAML = `homeserver:
  url: http://localhost:8008
  domain: example.com
semaphore:
  url: https://semaphore.example.com
  apiTokenFile: secrets/semaphore
monitor:
  source: polling
bridge:
  dataDir: state
`;

describe("loadConfig", () => {
    const temp = useTempDir();

    it("resolves relative paths from the config file's directory, not the working directory", () => {
        temp.write("etc/secrets/semaphore", "token-from-file\n");
        const file = temp.write("etc/config.yaml", VALID_YAML);
        const config = loadConfig(file, {});
        expect(config.bridge.dataDir).to.equal(path.join(temp.dir, "etc/state"));
        expect(config.semaphore.apiToken).to.equal("token-from-file");
    });

    it("takes secrets from the given environment", () => {
        const file = temp.write("config.yaml", VALID_YAML.replace("  apiTokenFile: secrets/semaphore\n", ""));
        expect(loadConfig(file, { MSB_SEMAPHORE_API_TOKEN: "from-env" }).semaphore.apiToken).to.equal("from-env");
    });

    it("reports a YAML syntax error as one line with line and column", () => {
        const file = temp.write("config.yaml", "homeserver:\n  url: http://localhost:8008\n   domain: example.com\n");
        const lines = problemsOf(() => loadConfig(file, {}));
        expect(lines).to.deep.equal([`${file}: YAML syntax error at line 3, column 10: bad indentation of a mapping entry`]);
    });

    it("reports a duplicated key as a syntax error", () => {
        const file = temp.write("config.yaml", "homeserver: {}\nhomeserver: {}\n");
        expect(problemsOf(() => loadConfig(file, {}))).to.deep.equal([
            `${file}: YAML syntax error at line 2, column 1: duplicated mapping key`,
        ]);
    });

    it("reports a missing file", () => {
        const file = path.join(temp.dir, "absent.yaml");
        expect(problemsOf(() => loadConfig(file, {}))).to.deep.equal([`config file: cannot read ${file}: ENOENT`]);
    });

    it("names the file in the error it throws", () => {
        const file = temp.write("config.yaml", "homeserver: {}\n");
        try {
            loadConfig(file, {});
            expect.fail("expected a ConfigError");
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            expect((err as ConfigError).file).to.equal(file);
        }
    });
});

describe("formatConfigErrors", () => {
    it("lists each problem on its own line under a heading naming the file", () => {
        const err = new ConfigError(["bridge.port: must be an integer between 1 and 65535", "gotify.url: must be a URL"], "/etc/msb/config.yaml");
        expect(formatConfigErrors(err)).to.equal(
            [
                "The configuration has 2 problems in /etc/msb/config.yaml:",
                "  - bridge.port: must be an integer between 1 and 65535",
                "  - gotify.url: must be a URL",
            ].join("\n"),
        );
    });

    it("says 1 problem for one", () => {
        expect(formatConfigErrors(new ConfigError(["homeserver: missing"]))).to.equal("The configuration has 1 problem:\n  - homeserver: missing");
    });

    it("describes other errors without a stack trace", () => {
        expect(formatConfigErrors(new Error("boom"))).to.equal("Cannot load the configuration: boom");
    });
});
