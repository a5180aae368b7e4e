import { CommandError } from "./Command";
import { editDistance, suggestNames } from "../util/suggest";
import { quoteInput, showInput, SHOWN_NAME_CHARS } from "./quoteInput";

/** A flag either stands alone (`--dry-run`) or takes the next word / `=value` (`--tags a,b`). */
export type FlagKind = "boolean" | "value";
export type FlagSpec = Readonly<Record<string, FlagKind>>;

export type Flags<S extends FlagSpec> = { -readonly [K in keyof S]?: S[K] extends "boolean" ? true : string };

export interface ParsedArgs<S extends FlagSpec> {
    positional: string[];
    flags: Flags<S>;
}

// Phones turn "--" into a dash; "—tags" is what the user meant by "--tags".
const DASHED_FLAG = /^(?:--|\u2014|\u2013)(?=[^\s-])/;

function flagList(spec: FlagSpec): string {
    return Object.keys(spec)
        .map((name) => `--${name}`)
        .join(", ");
}

function unknownFlag(name: string, spec: FlagSpec): CommandError {
    // Of the near names, the nearest: "--tag" means --tags rather than --skip-tags.
    const [nearest] = suggestNames(name, Object.keys(spec)).sort((a, b) => editDistance(name, a) - editDistance(name, b));
    const hint = nearest === undefined ? "" : ` Did you mean --${nearest}?`;
    const valid = Object.keys(spec).length > 0 ? ` Valid options: ${flagList(spec)}.` : " This command takes no options.";
    return new CommandError(`Unknown option --${showInput(name)}.${hint}${valid}`);
}

/**
 * Split words into positional arguments and `--flags` of `spec`. A value flag takes `--name=value`
 * or the next word, unless that word is itself one of the flags (then the value was forgotten).
 * `--` ends the flags. Unknown, repeated or valueless flags are CommandErrors listing what is valid.
 */
export function parseArgs<S extends FlagSpec>(args: readonly string[], spec: S): ParsedArgs<S> {
    const positional: string[] = [];
    const flags: Record<string, true | string> = {};
    const isFlagWord = (word: string) => {
        const dashed = DASHED_FLAG.exec(word);
        return dashed !== null && Object.hasOwn(spec, word.slice(dashed[0].length).split("=")[0]);
    };
    for (let i = 0; i < args.length; i++) {
        const word = args[i];
        if (word === "--") {
            positional.push(...args.slice(i + 1));
            break;
        }
        const dashed = DASHED_FLAG.exec(word);
        if (!dashed) {
            positional.push(word);
            continue;
        }
        const body = word.slice(dashed[0].length);
        const equals = body.indexOf("=");
        const name = equals === -1 ? body : body.slice(0, equals);
        if (!Object.hasOwn(spec, name)) throw unknownFlag(name, spec);
        if (Object.hasOwn(flags, name)) throw new CommandError(`--${name} is given twice.`);
        if (spec[name] === "boolean") {
            if (equals !== -1) throw new CommandError(`--${name} takes no value.`);
            flags[name] = true;
            continue;
        }
        let value: string | undefined;
        if (equals !== -1) value = body.slice(equals + 1);
        else if (i + 1 < args.length && !isFlagWord(args[i + 1])) value = args[++i];
        if (value === undefined || value.trim() === "") throw new CommandError(`--${name} needs a value.`);
        flags[name] = value;
    }
    return { positional, flags: flags as Flags<S> };
}

/** Check the number of positional arguments; `usage` is the full command line to show. */
export function expectPositional(positional: readonly string[], min: number, max: number, usage: string): void {
    if (positional.length < min) {
        throw new CommandError(`Missing arguments. Usage: ${usage}`);
    }
    if (positional.length > max) {
        const extra = positional.slice(max).join(" ");
        throw new CommandError(
            `Too many arguments (${quoteInput(extra, SHOWN_NAME_CHARS)} is left over): put names with spaces in quotes. Usage: ${usage}`,
        );
    }
}

/** `a, b,c` → ["a", "b", "c"]; a list with nothing in it is a mistake. */
export function splitList(value: string, flag: string): string[] {
    const items = value
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    if (items.length === 0) throw new CommandError(`--${flag} needs at least one value (comma-separated).`);
    return items;
}

/** A whole number within [min, max], written in plain decimal digits. */
export function parseIntegerFlag(value: string, flag: string, min: number, max: number): number {
    const number = /^[0-9]{1,9}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!(number >= min && number <= max)) {
        throw new CommandError(`--${flag} must be a whole number from ${min} to ${max}.`);
    }
    return number;
}
