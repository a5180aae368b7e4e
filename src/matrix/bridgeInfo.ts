/**
 * Room state that tells clients this room is bridged (MSC2346). Written under both the stable-ish
 * `m.bridge` type and the older `uk.half-shot.bridge` that Element still reads.
 */
export const BRIDGE_STATE_TYPES = ["m.bridge", "uk.half-shot.bridge"] as const;

export interface BridgeInfo {
    stateKey: string;
    content: Record<string, unknown>;
}

export function bridgeInfo(botUserId: string, semaphoreUrl: string): BridgeInfo {
    const host = new URL(semaphoreUrl).host;
    return {
        stateKey: `matrix-semaphore-bridge://semaphore/${host}`,
        content: {
            bridgebot: botUserId,
            creator: botUserId,
            protocol: { id: "semaphore", displayname: "Semaphore UI", external_url: "https://semaphoreui.com" },
            network: { id: host, displayname: `Semaphore at ${host}`, external_url: semaphoreUrl },
            channel: { id: host, displayname: `Semaphore at ${host}`, external_url: semaphoreUrl },
        },
    };
}
