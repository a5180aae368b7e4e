import { Logger } from "matrix-appservice-bridge";
import { Scheduler, TimerHandle } from "../net/Scheduler";
import { TaskRoomStore } from "../store/TaskRoomStore";

const log = new Logger("GotifySource");

/**
 * Persists the Gotify cursor at most once per `intervalMs`, always its latest value: at hundreds of
 * alerts per second a write per message would be most of the store's work. What a crash loses is
 * at most the last interval's advance, which the next start replays; replays change nothing, since
 * every room's record already holds the status it was told (the notifier skips what is not news).
 * A store that cannot save (disk full) does not stop the stream: the cursor lives on in memory.
 */
export class CursorSaver {
    private saved: number | null = null;
    private latest: number | null = null;
    private timer: TimerHandle | null = null;
    private writing: Promise<void> = Promise.resolve();
    /** The last save failed: logged once until a save works again. */
    private unsaved = false;

    constructor(
        private readonly store: Pick<TaskRoomStore, "setGotifyCursor">,
        private readonly scheduler: Scheduler,
        private readonly intervalMs: number,
    ) {}

    /** The cursor as read from (or first written to) the store. */
    loaded(id: number): void {
        this.saved = id;
        this.latest = id;
    }

    /** A new cursor to persist soon. */
    advance(id: number): void {
        this.latest = id;
        if (this.timer !== null) return;
        if (this.intervalMs <= 0) {
            void this.write();
            return;
        }
        this.timer = this.scheduler.setTimeout(() => {
            this.timer = null;
            void this.write();
        }, this.intervalMs);
    }

    /** Writes what is not saved yet, now (on stop), and waits for it. */
    async flush(): Promise<void> {
        if (this.timer !== null) {
            this.scheduler.clearTimeout(this.timer);
            this.timer = null;
        }
        await this.write();
    }

    /** Writes run one after the other, so an older value never lands after a newer one. */
    private write(): Promise<void> {
        this.writing = this.writing.then(() => this.writeLatest());
        return this.writing;
    }

    private async writeLatest(): Promise<void> {
        const id = this.latest;
        if (id === null || id === this.saved) return;
        try {
            await this.store.setGotifyCursor(id);
            this.saved = id;
            if (this.unsaved) log.info(`The Gotify cursor is saved again (${id})`);
            this.unsaved = false;
        } catch (err) {
            if (!this.unsaved) log.error(`Could not save the Gotify cursor (${err instanceof Error ? err.message : String(err)}); going on from memory until the store works again`);
            this.unsaved = true;
        }
    }
}
