import { Profile } from "../options";
import { benchRoomIds, fakeHomeserverUnderTest, HomeserverUnderTest, Rig, RigOptions } from "../rig";

/** What every scenario gets from the runner. */
export interface ScenarioContext {
    /** The run's work directory: each rig gets a subdirectory with the bridge's data and logs. */
    workDir: string;
    sizes: Profile;
    /** Node flags for every bridge process (profiling, experiments). */
    execArgv: string[];
    /** Monitor config values for every bridge, over the scenario's own (experiments). */
    monitorSettings: Record<string, string | number>;
    /** A progress line for the operator (stderr), never part of the results. */
    progress(message: string): void;
}

export type RigSize = Omit<RigOptions, "workDir" | "execArgv" | "roomIds"> & { rooms: number };

/**
 * Runs `use` against a fresh rig on the fake homeserver (or on `homeserver` with the given rooms)
 * and tears everything down afterwards, whatever happens.
 */
export async function withRig<T>(
    ctx: ScenarioContext,
    size: RigSize,
    use: (rig: Rig) => Promise<T>,
    real?: { homeserver: HomeserverUnderTest; roomIds: string[] },
): Promise<T> {
    const homeserver = real?.homeserver ?? (await fakeHomeserverUnderTest());
    const roomIds = real?.roomIds ?? benchRoomIds(size.rooms, homeserver.domain);
    let rig: Rig | undefined;
    try {
        const monitor = { ...size.monitor, ...ctx.monitorSettings };
        rig = await Rig.create(homeserver, { ...size, monitor, roomIds, workDir: ctx.workDir, execArgv: ctx.execArgv });
        return await use(rig);
    } finally {
        const unrecognized = homeserver.unrecognizedRequests();
        if (unrecognized.length > 0) ctx.progress(`${size.name}: warning: the homeserver did not recognise ${unrecognized.join(", ")}`);
        await rig?.dispose();
        if (!real) await homeserver.stop();
    }
}
