import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { leafName, loadSchema, projectRoot, SchemaLeaf, schemaLeaves, SchemaNode } from "./schema";

/** Where the generated reference lives, relative to the project root. */
export const REFERENCE_FILE = "docs/configuration.md";

/** Table cells are one line and must not contain an unescaped pipe. */
function cell(text: string): string {
    return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

function typeOf(node: SchemaNode): string {
    if (node.enum) return `one of ${node.enum.map((v) => `\`${v}\``).join(", ")}`;
    switch (node.type) {
        case "integer":
            if (node.minimum !== undefined && node.maximum !== undefined) return `integer ${node.minimum}–${node.maximum}`;
            return node.minimum !== undefined ? `integer ≥ ${node.minimum}` : "integer";
        case "string":
            if (node.format === "http-url") return "URL";
            return node.format === "path" ? "path" : "string";
        case "array":
            return "list";
        default:
            return node.type ?? "";
    }
}

function defaultOf(leaf: SchemaLeaf): string {
    const { node } = leaf;
    if (node["x-default-text"]) return node["x-default-text"];
    if (node.default !== undefined) return `\`${String(node.default)}\``;
    return leaf.required ? "**required**" : "";
}

/** A section that is itself a list is described above its table; its row only names the entries' keys. */
function descriptionOf(leaf: SchemaLeaf): string {
    const itemKeys = Object.keys(leaf.node.items?.properties ?? {});
    if (leaf.segments.length === 1 && itemKeys.length > 0) return `A list; each entry has ${itemKeys.map((k) => `\`${k}\``).join(" and ")}.`;
    return leaf.node.description ?? "";
}

function row(leaf: SchemaLeaf): string {
    const env = leaf.node["x-env"] ? `\`${leaf.node["x-env"]}\`` : "";
    const cells = [`\`${leafName(leaf.segments)}\``, typeOf(leaf.node), defaultOf(leaf), descriptionOf(leaf), env];
    return `| ${cells.map(cell).join(" | ")} |`;
}

function sectionText(name: string, section: SchemaNode, leaves: SchemaLeaf[]): string {
    return [
        `## \`${name}\``,
        "",
        ...(section.description ? [section.description.trim(), ""] : []),
        "| Key | Type | Default | Description | Env var |",
        "| --- | --- | --- | --- | --- |",
        ...leaves.map(row),
        "",
    ].join("\n");
}

/** The Markdown configuration reference: an introduction and one table per top-level section. */
export function renderConfigReference(schema: SchemaNode): string {
    const leaves = schemaLeaves(schema);
    const sections = Object.entries(schema.properties ?? {}).map(([name, section]) =>
        sectionText(
            name,
            section,
            leaves.filter((leaf) => leaf.segments[0] === name),
        ),
    );
    return [
        "<!-- Generated from config.schema.yaml by `npm run docs:config`: edit the schema, not this file. -->",
        "",
        "# Configuration reference",
        "",
        ...(schema.description ? [schema.description.trim(), ""] : []),
        ...sections,
    ].join("\n");
}

/** Regenerates docs/configuration.md from config.schema.yaml. */
export function writeConfigReference(): string {
    const target = path.join(projectRoot(), REFERENCE_FILE);
    writeFileSync(target, renderConfigReference(loadSchema()));
    return target;
}

if (require.main === module) {
    process.stdout.write(`Wrote ${writeConfigReference()}\n`);
}
