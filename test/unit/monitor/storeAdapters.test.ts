import { expect } from "chai";
import { pollSetFromStore, watchIndexFromStore } from "../../../src/monitor/storeAdapters";
import { Subscription, TaskWatch } from "../../../src/store/TaskRoomStore";

function watch(roomId: string, projectId: number, taskId: number, lastStatus?: TaskWatch["lastStatus"]): TaskWatch {
    return { roomId, projectId, taskId, lastStatus, finished: false, createdAt: 0 };
}

function subscription(roomId: string, projectId: number, templateId?: number): Subscription {
    return { roomId, projectId, templateId, createdAt: 0 };
}

describe("store adapters of the monitor", () => {
    const store = {
        getUnfinishedWatches: async (): Promise<TaskWatch[]> => [
            watch("!a:x", 1, 10, "running"),
            watch("!b:x", 1, 10, "running"),
            watch("!a:x", 2, 10),
            watch("!a:x", 2, 11, "waiting"),
        ],
        getAllSubscriptions: async (): Promise<Subscription[]> => [subscription("!a:x", 3), subscription("!b:x", 3, 7), subscription("!b:x", 4)],
    };

    it("lists each unfinished watched task once with its last status, and each subscribed project once", async () => {
        const pollSet = pollSetFromStore(store);
        expect(await pollSet.unfinishedWatchedTasks()).to.deep.equal([
            { projectId: 1, taskId: 10, lastStatus: "running" },
            { projectId: 2, taskId: 10 },
            { projectId: 2, taskId: 11, lastStatus: "waiting" },
        ]);
        expect(await pollSet.subscribedProjects()).to.deep.equal([3, 4]);
    });

    it("finds the projects that watch a task id", async () => {
        const index = watchIndexFromStore(store);
        expect(await index.projectsForTask(10)).to.deep.equal([1, 2]);
        expect(await index.projectsForTask(11)).to.deep.equal([2]);
        expect(await index.projectsForTask(12)).to.deep.equal([]);
    });
});
