#!/usr/bin/env node
/**
 * CLI entry: a subcommand by name, else the bridge itself. Modules load only for what runs, so the
 * small subcommands start fast and never load the Matrix libraries they do not need.
 */
import { subcommands } from "./cli/subcommands";
import { tuneHeapForFootprint } from "./runtime/heapTuning";

async function main(): Promise<void> {
    const [name, ...rest] = process.argv.slice(2);
    const subcommand = name ? subcommands[name] : undefined;
    if (subcommand) {
        process.exitCode = await subcommand(rest);
        return;
    }
    // Before the Matrix libraries load: the young generation they would grow never shrinks again.
    tuneHeapForFootprint();
    const { runBridgeCli } = await import("./cli/runBridge.js");
    runBridgeCli(process.argv.slice(2));
}

main().catch((err) => {
    process.stderr.write(`matrix-semaphore-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
