import { StartTaskOptions } from "./types";

/** The JSON body of `POST /api/project/{pid}/tasks` (PROTOCOLS.md §2). */
export interface StartTaskBody {
    template_id: number;
    debug?: boolean;
    dry_run?: boolean;
    diff?: boolean;
    git_branch?: string;
    message?: string;
    /** A JSON array *string*: Semaphore's Go struct has `*string` here and answers 400 to an array. */
    arguments?: string;
    /** Comma-joined hosts (older versions read only this). */
    limit?: string;
    /** Newer versions read these instead of the top-level fields. */
    params?: StartTaskParams;
}

export interface StartTaskParams {
    tags?: string[];
    skip_tags?: string[];
    limit?: string[];
    debug?: boolean;
    dry_run?: boolean;
    diff?: boolean;
}

/**
 * Build the body with only the options that were set, in both the old and the new shape, so one
 * request works on every Semaphore version. An empty list counts as not set.
 */
export function startTaskBody(templateId: number, options: Omit<StartTaskOptions, "templateId">): StartTaskBody {
    const limit = nonEmpty(options.limit);
    const args = nonEmpty(options.arguments);
    const params = withoutUnset<StartTaskParams>({
        tags: nonEmpty(options.tags),
        skip_tags: nonEmpty(options.skipTags),
        limit,
        debug: options.debug,
        dry_run: options.dryRun,
        diff: options.diff,
    });
    return withoutUnset<StartTaskBody>({
        template_id: templateId,
        debug: options.debug,
        dry_run: options.dryRun,
        diff: options.diff,
        git_branch: options.gitBranch,
        message: options.message,
        arguments: args && JSON.stringify(args),
        limit: limit?.join(","),
        params: Object.keys(params).length > 0 ? params : undefined,
    });
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
    return list && list.length > 0 ? [...list] : undefined;
}

function withoutUnset<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
