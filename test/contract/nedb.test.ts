import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NedbTaskRoomStore } from "../../src/store/NedbTaskRoomStore";
import { runTaskRoomStoreContract } from "./store.contract";

let dataDir = mkdtempSync(join(tmpdir(), "msb-nedb-contract-"));

runTaskRoomStoreContract(
    "NeDB",
    async () => new NedbTaskRoomStore(dataDir),
    async () => {
        rmSync(dataDir, { recursive: true, force: true });
        dataDir = mkdtempSync(join(tmpdir(), "msb-nedb-contract-"));
    },
);

after(() => rmSync(dataDir, { recursive: true, force: true }));
