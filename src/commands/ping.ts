import { Command } from "./Command";
import { CommandServices, Probe } from "./services";
import { escapeHtml, notice } from "../matrix/formatting";
import { BRIDGE_VERSION } from "../version";

function line(label: string, probe: Probe): { text: string; html: string } {
    const mark = probe.ok ? "✅" : "❌";
    return {
        text: `${mark} ${label}: ${probe.detail}`,
        html: `<li>${mark} ${escapeHtml(label)}: ${escapeHtml(probe.detail)}</li>`,
    };
}

export const pingCommand: Command<CommandServices> = {
    name: "ping",
    args: "",
    summary: "Check that the bridge, the homeserver and Semaphore answer",
    level: "commands",
    async run(ctx, services) {
        const [homeserver, semaphore] = await Promise.all([services.checkHomeserver(), services.checkSemaphore()]);
        const lines = [line("Homeserver", homeserver), line("Semaphore", semaphore)];
        const title = `Pong! matrix-semaphore-bridge ${BRIDGE_VERSION}`;
        await ctx.reply(
            notice(
                [title, ...lines.map((l) => l.text)].join("\n"),
                `<p>${escapeHtml(title)}</p><ul>${lines.map((l) => l.html).join("")}</ul>`,
            ),
        );
    },
};
