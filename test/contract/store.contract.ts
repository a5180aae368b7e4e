import { DumpableStore } from "../../src/store/StoreDump";
import { ContractContext } from "./fixtures";
import { watchContract } from "./watches.contract";
import { roomsAndSubscriptionsContract } from "./roomsAndSubscriptions.contract";
import { stateAndDurabilityContract } from "./stateAndDurability.contract";

/**
 * The one behaviour every TaskRoomStore must have, run against each implementation.
 *
 * makeStore: a new, not yet initialised store over the current test's storage; every call within one
 *   test reaches the same data (that is how re-opening is tested).
 * cleanup: runs after each test, once the suite closed its stores; the next test must start empty.
 */
export function runTaskRoomStoreContract(name: string, makeStore: () => Promise<DumpableStore>, cleanup: () => Promise<void>): void {
    describe(`TaskRoomStore contract: ${name}`, function () {
        this.timeout(5000);
        const opened: DumpableStore[] = [];
        let store: DumpableStore;

        async function open(): Promise<DumpableStore> {
            const fresh = await makeStore();
            opened.push(fresh);
            await fresh.init();
            return fresh;
        }

        async function reopen(): Promise<DumpableStore> {
            await store.close();
            opened.splice(opened.indexOf(store), 1);
            store = await open();
            return store;
        }

        beforeEach(async () => {
            store = await open();
        });

        afterEach(async () => {
            for (const s of opened.splice(0)) await s.close();
            await cleanup();
        });

        const ctx: ContractContext = {
            get store() {
                return store;
            },
            reopen,
        };
        watchContract(ctx);
        roomsAndSubscriptionsContract(ctx);
        stateAndDurabilityContract(ctx);
    });
}
