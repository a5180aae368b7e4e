import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { renderConfigReference, REFERENCE_FILE } from "../../../src/config/configReference";
import { loadConfig } from "../../../src/config/loadConfig";
import { leafName, loadSchema, projectRoot, schemaLeaves, SchemaNode } from "../../../src/config/schema";
import { problemsOf } from "./helpers";

const ROOT = projectRoot();
const SAMPLE = path.join(ROOT, "config.sample.yaml");

/** Every key path present in a parsed YAML value, lists written as "[]" like schema leaves. */
function keyPaths(value: unknown, prefix: string[] = []): string[] {
    if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, [...prefix, "[]"]));
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([key, child]) => [leafName([...prefix, key]), ...keyPaths(child, [...prefix, key])]);
}

describe("config.sample.yaml", () => {
    const env = { MSB_SEMAPHORE_API_TOKEN: "s", MSB_GOTIFY_CLIENT_TOKEN: "C" };

    it("validates, with the secrets it leaves to the environment", () => {
        const config = loadConfig(SAMPLE, env);
        expect(config.homeserver).to.deep.equal({ url: "http://localhost:8008", domain: "example.com" });
        expect(config.monitor.source).to.equal("gotify");
        expect(config.bridge.dataDir).to.equal(path.join(ROOT, "data"));
    });

    it("asks for exactly the secrets it leaves out", () => {
        expect(problemsOf(() => loadConfig(SAMPLE, {}))).to.deep.equal([
            "semaphore.apiToken: missing (set it, semaphore.apiTokenFile or MSB_SEMAPHORE_API_TOKEN)",
            "gotify.clientToken: missing (set it, gotify.clientTokenFile or MSB_GOTIFY_CLIENT_TOKEN)",
        ]);
    });

    it("shows every schema key, set or as a commented-out example in its section", () => {
        // "  # caFile: /etc/..." → "  caFile: /etc/...": optional settings become part of the document.
        const uncommented = readFileSync(SAMPLE, "utf8").replace(/^(\s*)# ([A-Za-z]+:(?: .*)?)$/gm, "$1$2");
        const present = new Set(keyPaths(yaml.load(uncommented)));
        const missing = schemaLeaves(loadSchema())
            .map((leaf) => leafName(leaf.segments))
            .filter((name) => !present.has(name));
        expect(missing).to.deep.equal([]);
    });
});

describe("docs/configuration.md", () => {
    it("is what config.schema.yaml generates (run `npm run docs:config` after editing the schema)", () => {
        const committed = readFileSync(path.join(ROOT, REFERENCE_FILE), "utf8");
        expect(committed).to.equal(renderConfigReference(loadSchema()));
    });
});

describe("renderConfigReference", () => {
    it("renders a table per section with type, default, description and env var", () => {
        const schema: SchemaNode = {
            description: "Intro.",
            properties: {
                web: {
                    description: "Web server.",
                    required: ["url"],
                    properties: {
                        url: { type: "string", format: "http-url", description: "Where | it is." },
                        port: { type: "integer", minimum: 1, maximum: 65535, default: 80, description: "Port." },
                        token: { type: "string", "x-env": "WEB_TOKEN", description: "Secret." },
                        mode: { enum: ["a", "b"], default: "a", description: "Mode\nof work." },
                    },
                },
            },
        };
        expect(renderConfigReference(schema)).to.equal(
            [
                "<!-- Generated from config.schema.yaml by `npm run docs:config`: edit the schema, not this file. -->",
                "",
                "# Configuration reference",
                "",
                "Intro.",
                "",
                "## `web`",
                "",
                "Web server.",
                "",
                "| Key | Type | Default | Description | Env var |",
                "| --- | --- | --- | --- | --- |",
                "| `web.url` | URL | **required** | Where \\| it is. |  |",
                "| `web.port` | integer 1–65535 | `80` | Port. |  |",
                "| `web.token` | string |  | Secret. | `WEB_TOKEN` |",
                "| `web.mode` | one of `a`, `b` | `a` | Mode of work. |  |",
                "",
            ].join("\n"),
        );
    });
});
