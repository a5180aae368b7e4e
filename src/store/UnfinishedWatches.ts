import { TaskRef } from "../monitor/TaskEvent";
import { KeyedQueue } from "../util/KeyedQueue";
import { byWatchKey, watchKey } from "./records";
import { TaskWatch } from "./TaskRoomStore";

/** Reads the unfinished watches of one room as the store holds them now. */
export type RoomReader = (roomId: string) => Promise<TaskWatch[]>;

/**
 * The NeDB store's unfinished watches, kept in memory. NeDB could index `data.finished`, but it keeps
 * all documents of one index key in one array, which every write of an unfinished watch copies:
 * O(unfinished watches) per write. Here a write costs O(1), and listing O(unfinished), however long
 * the history of finished watches.
 */
export class UnfinishedWatches {
    private readonly byKey = new Map<string, TaskWatch>();
    private readonly inWriteOrder = new KeyedQueue();

    constructor(
        loaded: readonly TaskWatch[],
        private readonly readRoom: RoomReader,
    ) {
        for (const watch of loaded) this.record(watch);
    }

    get size(): number {
        return this.byKey.size;
    }

    /**
     * Keeps step with a write of watches of `roomId`, and settles as it does. The writes of one room
     * must be started (handed to NeDB, which runs them one by one) in the order of these calls: the
     * queue then follows them in that same order, however their promises settle.
     *
     * `succeeded` applies what the write did. When it failed (disk full …), the room is read again:
     * NeDB changes its memory before it appends to the file and does not undo that, and its next
     * compaction writes its memory to the file, so what it holds is what the file will say.
     */
    follow<T>(roomId: string, write: Promise<T>, succeeded: (result: T) => void): Promise<T> {
        // Handled by the job below; this only keeps Node from calling it unhandled while it waits its turn.
        write.catch(() => undefined);
        return this.inWriteOrder.run(roomId, async () => {
            let result: T;
            try {
                result = await write;
            } catch (err) {
                const now = await this.readRoom(roomId);
                this.forgetRoom(roomId);
                for (const watch of now) this.record(watch);
                throw err;
            }
            succeeded(result);
            return result;
        });
    }

    /** The watch as the store now holds it: kept while unfinished, forgotten once finished. */
    record(watch: TaskWatch): void {
        if (watch.finished) this.byKey.delete(watchKey(watch));
        else this.byKey.set(watchKey(watch), watch);
    }

    forget(roomId: string, ref: TaskRef): void {
        this.byKey.delete(watchKey({ roomId, ...ref }));
    }

    /** A scan of the unfinished watches: fine for something as rare as the bot leaving a room. */
    forgetRoom(roomId: string): void {
        for (const [key, watch] of this.byKey) {
            if (watch.roomId === roomId) this.byKey.delete(key);
        }
    }

    /** Copies (callers may change them), sorted like every list of watches. */
    list(): TaskWatch[] {
        return [...this.byKey.values()].map((watch) => ({ ...watch })).sort(byWatchKey);
    }

    /** Resolves once the writes followed so far settled: a read then sees them, as NeDB's own reads would. */
    async caughtUp(): Promise<void> {
        await this.inWriteOrder.whenIdle();
    }
}
