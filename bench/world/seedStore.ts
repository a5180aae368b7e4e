import { createTaskRoomStore } from "../../src/store";
import { TaskWatch } from "../../src/store/TaskRoomStore";

/**
 * Writes the watches into the bridge's embedded store before the bridge starts, through the store's
 * own API, with the Gotify cursor at `gotifyCursor` (a bridge that has run before).
 */
export async function seedStore(dataDir: string, watches: readonly TaskWatch[], gotifyCursor: number): Promise<void> {
    const store = createTaskRoomStore({ engine: "nedb" }, dataDir);
    await store.init();
    try {
        for (const watch of watches) await store.putWatch(watch);
        await store.setGotifyCursor(gotifyCursor);
    } finally {
        await store.close();
    }
}
