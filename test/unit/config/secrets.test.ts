import { expect } from "chai";
import * as path from "node:path";
import { parseConfig } from "../../../src/config/loadConfig";
import { minimalConfig, problemsOf, useTempDir } from "./helpers";

describe("config secrets", () => {
    const temp = useTempDir();

    function withSemaphoreToken(inline?: string, file?: string): Record<string, any> {
        const raw = minimalConfig();
        delete raw.semaphore.apiToken;
        if (inline !== undefined) raw.semaphore.apiToken = inline;
        if (file !== undefined) raw.semaphore.apiTokenFile = file;
        return raw;
    }

    it("takes the inline value when nothing else is set", () => {
        expect(parseConfig(withSemaphoreToken("inline"), {}, temp.dir).semaphore.apiToken).to.equal("inline");
    });

    it("prefers the file over the inline value, trimmed, relative to the config directory", () => {
        temp.write("secrets/semaphore", "  from-file\n");
        const config = parseConfig(withSemaphoreToken("inline", "secrets/semaphore"), {}, temp.dir);
        expect(config.semaphore.apiToken).to.equal("from-file");
    });

    it("prefers the environment over the file and the inline value", () => {
        temp.write("semaphore", "from-file");
        const env = { MSB_SEMAPHORE_API_TOKEN: "from-env" };
        expect(parseConfig(withSemaphoreToken("inline", "semaphore"), env, temp.dir).semaphore.apiToken).to.equal("from-env");
    });

    it("ignores an empty environment variable", () => {
        const env = { MSB_SEMAPHORE_API_TOKEN: "" };
        expect(parseConfig(withSemaphoreToken("inline"), env, temp.dir).semaphore.apiToken).to.equal("inline");
    });

    it("does not read the file when the environment variable wins", () => {
        const env = { MSB_SEMAPHORE_API_TOKEN: "from-env" };
        const config = parseConfig(withSemaphoreToken(undefined, "absent"), env, temp.dir);
        expect(config.semaphore.apiToken).to.equal("from-env");
    });

    it("resolves every secret from its own variable", () => {
        const raw = { ...minimalConfig(), database: { engine: "postgres" } };
        const env = {
            MSB_SEMAPHORE_API_TOKEN: "s",
            MSB_GOTIFY_CLIENT_TOKEN: "Cclient",
            MSB_GOTIFY_APP_TOKEN: "Aapp",
            MSB_DATABASE_URL: "postgres://bridge:pw@db/bridge",
        };
        const config = parseConfig(raw, env, temp.dir);
        expect([config.semaphore.apiToken, config.gotify?.clientToken, config.gotify?.appToken, config.database]).to.deep.equal([
            "s",
            "Cclient",
            "Aapp",
            { engine: "postgres", url: "postgres://bridge:pw@db/bridge" },
        ]);
    });

    it("reads each secret from its own file", () => {
        temp.write("client", "Cclient\n");
        temp.write("app", "Aapp\n");
        temp.write("db", "postgres://bridge:pw@db/bridge\n");
        const raw = minimalConfig();
        raw.gotify = { url: "https://gotify.example.com", clientTokenFile: "client", appTokenFile: "app" };
        raw.database = { engine: "postgres", urlFile: "db" };
        const config = parseConfig(raw, {}, temp.dir);
        expect([config.gotify?.clientToken, config.gotify?.appToken, config.database]).to.deep.equal([
            "Cclient",
            "Aapp",
            { engine: "postgres", url: "postgres://bridge:pw@db/bridge" },
        ]);
    });

    it("leaves no ...File key in the result", () => {
        temp.write("semaphore", "from-file");
        const config = parseConfig(withSemaphoreToken(undefined, "semaphore"), {}, temp.dir);
        expect(Object.keys(config.semaphore)).to.deep.equal(["url", "apiToken", "ignoreSsl", "requestTimeoutMs"]);
    });

    it("reports a file that cannot be read by its path, and nothing else about that secret", () => {
        const absent = path.join(temp.dir, "absent");
        expect(problemsOf(() => parseConfig(withSemaphoreToken(undefined, absent), {}, temp.dir))).to.deep.equal([
            `semaphore.apiTokenFile: cannot read ${absent}: ENOENT`,
        ]);
    });

    it("reports an empty file", () => {
        const file = temp.write("blank", " \n");
        expect(problemsOf(() => parseConfig(withSemaphoreToken(undefined, "blank"), {}, temp.dir))).to.deep.equal([
            `semaphore.apiTokenFile: ${file} is empty`,
        ]);
    });

    it("never puts a secret read from a file into a problem line", () => {
        temp.write("db", "mysql://bridge:hunter2@db/bridge");
        const raw = { ...minimalConfig(), database: { engine: "postgres", urlFile: "db" } };
        const lines = problemsOf(() => parseConfig(raw, {}, temp.dir));
        expect(lines).to.deep.equal(["database.url: must be a postgres:// URL"]);
    });
});
