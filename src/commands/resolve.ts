import { CommandError } from "./Command";
import { parsePositiveId } from "../semaphore/ids";
import { SemaphoreProject, SemaphoreTemplate } from "../semaphore/types";
import { SemaphoreClient } from "../semaphore/SemaphoreClient";
import { suggestNames } from "../util/suggest";
import { displayText } from "../notify/taskText";
import { quoteInput, SHOWN_NAME_CHARS } from "./quoteInput";

interface Named {
    id: number;
    name: string;
}

/** How to talk about the kind of thing being looked up. */
export interface LookupWords {
    /** "project", "template" */
    kind: string;
    /** Completes "No template named "x"…", e.g. " in project Web"; empty for projects. */
    where: string;
    /** The command that lists them, e.g. "!cd templates Web". */
    listCommand: string;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function quotedAlternatives(names: readonly string[]): string {
    const quoted = names.map((name) => JSON.stringify(displayText(name)));
    return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/**
 * Find one item by id (plain digits) or by exact name, case-insensitive. No partial matches: `run`
 * must start exactly what was named, so near misses become suggestions in the error instead.
 */
export function pickByIdOrName<T extends Named>(items: readonly T[], input: string, words: LookupWords): T {
    const id = parsePositiveId(input);
    const byId = id === null ? undefined : items.find((item) => item.id === id);
    if (byId) return byId;
    const wanted = input.trim().toLowerCase();
    const byName = items.filter((item) => item.name.trim().toLowerCase() === wanted);
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) {
        const ids = byName.map((item) => item.id).join(", ");
        throw new CommandError(`Several ${words.kind}s${words.where} are named ${quoteInput(input, SHOWN_NAME_CHARS)} (ids ${ids}); use the id instead.`);
    }
    const suggestions = suggestNames(input, items.map((item) => item.name));
    if (suggestions.length > 0) {
        throw new CommandError(`No ${words.kind} named ${quoteInput(input, SHOWN_NAME_CHARS)}${words.where}; did you mean ${quotedAlternatives(suggestions)}?`);
    }
    const withId = id === null ? "" : ` and none with id ${id}`;
    throw new CommandError(`No ${words.kind} named ${quoteInput(input, SHOWN_NAME_CHARS)}${words.where}${withId}. Type ${words.listCommand} to see them.`);
}

export type ProjectLister = Pick<SemaphoreClient, "listProjects">;
export type TemplateLister = Pick<SemaphoreClient, "listTemplates">;

export async function resolveProject(semaphore: ProjectLister, input: string, prefix: string): Promise<SemaphoreProject> {
    const projects = await semaphore.listProjects();
    return pickByIdOrName(projects, input, { kind: "project", where: "", listCommand: `${prefix} projects` });
}

export async function resolveTemplate(
    semaphore: TemplateLister,
    project: SemaphoreProject,
    input: string,
    prefix: string,
): Promise<SemaphoreTemplate> {
    const templates = await semaphore.listTemplates(project.id);
    return pickByIdOrName(templates, input, {
        kind: "template",
        where: ` in project ${displayText(project.name)}`,
        listCommand: `${prefix} templates ${project.id}`,
    });
}
