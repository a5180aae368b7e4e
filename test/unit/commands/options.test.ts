import { expect } from "chai";
import { CommandError } from "../../../src/commands/Command";
import { expectPositional, parseArgs, parseIntegerFlag, splitList } from "../../../src/commands/options";

const SPEC = { tags: "value", "dry-run": "boolean", args: "value", limit: "value" } as const;

function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (err) {
        expect(err).to.be.instanceOf(CommandError);
        return (err as Error).message;
    }
    throw new Error("no error");
}

describe("parseArgs", () => {
    it("separates positional words from flags, values by next word or =", () => {
        const parsed = parseArgs(["Web", "--tags", "a,b", "Deploy web", "--dry-run", "--limit=web1"], SPEC);
        expect(parsed).to.deep.equal({ positional: ["Web", "Deploy web"], flags: { tags: "a,b", "dry-run": true, limit: "web1" } });
    });

    it("takes a value that starts with -- unless it is one of the flags", () => {
        expect(parseArgs(["--args", "--check -v"], SPEC).flags).to.deep.equal({ args: "--check -v" });
        expect(errorOf(() => parseArgs(["--tags", "--dry-run"], SPEC))).to.equal("--tags needs a value.");
        expect(errorOf(() => parseArgs(["--tags"], SPEC))).to.equal("--tags needs a value.");
        expect(errorOf(() => parseArgs(["--tags="], SPEC))).to.equal("--tags needs a value.");
    });

    it("names the valid flags and the likely one for an unknown flag", () => {
        expect(errorOf(() => parseArgs(["--tag", "a"], SPEC))).to.equal(
            "Unknown option --tag. Did you mean --tags? Valid options: --tags, --dry-run, --args, --limit.",
        );
        expect(errorOf(() => parseArgs(["--zzzzzz"], SPEC))).to.equal("Unknown option --zzzzzz. Valid options: --tags, --dry-run, --args, --limit.");
        expect(errorOf(() => parseArgs(["--force"], {}))).to.equal("Unknown option --force. This command takes no options.");
    });

    it("refuses a repeated flag and a value on a boolean flag", () => {
        expect(errorOf(() => parseArgs(["--tags", "a", "--tags", "b"], SPEC))).to.equal("--tags is given twice.");
        expect(errorOf(() => parseArgs(["--dry-run=yes"], SPEC))).to.equal("--dry-run takes no value.");
    });

    it("reads a phone's dash as -- and treats everything after a bare -- as positional", () => {
        expect(parseArgs(["\u2014dry-run", "\u2013tags", "x"], SPEC).flags).to.deep.equal({ "dry-run": true, tags: "x" });
        expect(parseArgs(["a", "--", "--dry-run", "-1"], SPEC)).to.deep.equal({ positional: ["a", "--dry-run", "-1"], flags: {} });
    });

    it("leaves single-dash words and lone dashes as positional", () => {
        expect(parseArgs(["-1", "—", "---x"], SPEC).positional).to.deep.equal(["-1", "—", "---x"]);
    });

    it("does not treat inherited object keys as flags", () => {
        expect(errorOf(() => parseArgs(["--constructor"], SPEC))).to.match(/^Unknown option --constructor\./);
        expect(errorOf(() => parseArgs(["--__proto__", "x"], SPEC))).to.match(/^Unknown option --__proto__\./);
    });
});

describe("expectPositional", () => {
    it("shows the usage when arguments are missing or left over", () => {
        expect(errorOf(() => expectPositional(["Web"], 2, 2, "!cd run <project> <template>"))).to.equal(
            "Missing arguments. Usage: !cd run <project> <template>",
        );
        expect(errorOf(() => expectPositional(["Web", "Deploy", "web"], 2, 2, "!cd run <project> <template>"))).to.equal(
            'Too many arguments ("web" is left over): put names with spaces in quotes. Usage: !cd run <project> <template>',
        );
        expect(() => expectPositional(["a"], 0, 1, "x")).not.to.throw();
    });
});

describe("splitList", () => {
    it("splits on commas, trims, drops empty items", () => {
        expect(splitList(" a, b,,c ", "tags")).to.deep.equal(["a", "b", "c"]);
        expect(errorOf(() => splitList(" , ", "tags"))).to.equal("--tags needs at least one value (comma-separated).");
    });
});

describe("parseIntegerFlag", () => {
    it("accepts plain whole numbers in range only", () => {
        expect(parseIntegerFlag("50", "lines", 1, 200)).to.equal(50);
        expect(parseIntegerFlag("200", "lines", 1, 200)).to.equal(200);
        for (const bad of ["0", "201", "-5", "1e2", "0x10", "2.5", "", "ten", "99999999999"]) {
            expect(errorOf(() => parseIntegerFlag(bad, "lines", 1, 200)), bad).to.equal("--lines must be a whole number from 1 to 200.");
        }
    });
});
