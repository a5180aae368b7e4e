import { Logger } from "matrix-appservice-bridge";
import { SemaphoreTemplate } from "../semaphore/types";

const log = new Logger("TemplateNames");

export interface TemplateNamesOptions {
    /** A project's list older than this is fetched again (templates get renamed). */
    maxAgeMs?: number;
    /** An unknown template id refetches the list, but not more often than this (a new template vs. hammering). */
    missRefetchMs?: number;
}

const DEFAULTS: Required<TemplateNamesOptions> = { maxAgeMs: 10 * 60_000, missRefetchMs: 30_000 };

interface ProjectTemplates {
    names: Map<number, string>;
    fetchedAt: number;
}

/**
 * Template names per project from `listTemplates`, so an event without a name costs one list
 * request per project now and then rather than one per event. Never throws: no name is shown then.
 */
export class TemplateNames {
    private readonly projects = new Map<number, ProjectTemplates>();
    /** Fetches in flight, shared by concurrent lookups of the same project. */
    private readonly fetching = new Map<number, Promise<ProjectTemplates>>();
    private readonly options: Required<TemplateNamesOptions>;

    constructor(
        private readonly listTemplates: (projectId: number) => Promise<SemaphoreTemplate[]>,
        private readonly clock: () => number,
        options: TemplateNamesOptions = {},
    ) {
        this.options = { ...DEFAULTS, ...options };
    }

    async nameOf(projectId: number, templateId: number): Promise<string | undefined> {
        let known = this.projects.get(projectId);
        if (!known || this.shouldRefetch(known, templateId)) {
            known = await this.fetch(projectId);
        }
        return known.names.get(templateId);
    }

    private shouldRefetch(known: ProjectTemplates, templateId: number): boolean {
        const age = this.clock() - known.fetchedAt;
        return age >= this.options.maxAgeMs || (!known.names.has(templateId) && age >= this.options.missRefetchMs);
    }

    private fetch(projectId: number): Promise<ProjectTemplates> {
        const inFlight = this.fetching.get(projectId);
        if (inFlight) return inFlight;
        const fetched = this.load(projectId).finally(() => this.fetching.delete(projectId));
        this.fetching.set(projectId, fetched);
        return fetched;
    }

    private async load(projectId: number): Promise<ProjectTemplates> {
        const previous = this.projects.get(projectId);
        let names: Map<number, string>;
        try {
            const templates = await this.listTemplates(projectId);
            names = new Map(templates.map((template) => [template.id, template.name]));
        } catch (err) {
            // Keep what we knew; the failure time still counts as a fetch so a dead API is not asked per event.
            log.warn(`Could not list the templates of project ${projectId}: ${errorText(err)}`);
            names = previous?.names ?? new Map();
        }
        const entry = { names, fetchedAt: this.clock() };
        this.projects.set(projectId, entry);
        return entry;
    }
}

/** SemaphoreError messages are safe to log; anything else is reduced to its message. */
export function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
