/**
 * The help a user at the "commands" level sees, written out in full: a change to any command's
 * usage or summary must show up here, reviewed like the user-visible text it is.
 */
export const EXPECTED_HELP_BODY = [
    "Semaphore bridge commands:",
    "!cd help [command] — Show the commands, or details of one command",
    "!cd ping — Check that the bridge, the homeserver and Semaphore answer",
    "!cd projects — List the Semaphore projects the bridge can see",
    "!cd templates [project] — List the templates of a project (default: the room's project)",
    "!cd run <project> <template> [--tags a,b] [--skip-tags a,b] [--limit hosts] [--args \"…\"] [--branch b] [--message m] [--dry-run] [--debug] [--diff] — Start a task from a template (asks for confirmation) (needs manage)",
    "!cd status [task] — Show a task's status (default: the task this room last started or watched)",
    "!cd logs <task> [--lines N] [--all] — Show a task's output: what is new since the room's last logs, else the last lines (default 20, at most 200)",
    "!cd stop <task> [--force] — Stop a running task (asks for confirmation; --force kills it at once) (needs manage)",
    "!cd approve <task> — Let a task waiting for confirmation run (needs manage)",
    "!cd reject <task> — Refuse a task waiting for confirmation (needs manage)",
    "!cd watch <task> — Follow a task in this room (42, #42, 3/42 or a Semaphore link)",
    "!cd unwatch <task> — Stop following a task in this room",
    "!cd watches — Show what this room follows: tasks, subscriptions, default project",
    "!cd subscribe <project> [template] — Follow every task of a project (or of one template) in this room (needs manage)",
    "!cd unsubscribe <project> [template] — Stop following a project (or one template of it) in this room (needs manage)",
    "!cd project [project | --clear] — Set the project that bare task ids (42, #42) mean in this room (needs manage)",
    "!cd admin — Get into the bridge's admin room, re-creating it if it is lost (in a direct chat with me) (needs admin)",
].join("\n");

export const EXPECTED_HELP_HTML =
    "<p>Semaphore bridge commands:</p><ul>" +
    "<li><code>!cd help [command]</code> — Show the commands, or details of one command</li>" +
    "<li><code>!cd ping</code> — Check that the bridge, the homeserver and Semaphore answer</li>" +
    "<li><code>!cd projects</code> — List the Semaphore projects the bridge can see</li>" +
    "<li><code>!cd templates [project]</code> — List the templates of a project (default: the room&#39;s project)</li>" +
    "<li><code>!cd run &lt;project&gt; &lt;template&gt; [--tags a,b] [--skip-tags a,b] [--limit hosts] [--args &quot;…&quot;] [--branch b] [--message m] [--dry-run] [--debug] [--diff]</code> — Start a task from a template (asks for confirmation) (needs manage)</li>" +
    "<li><code>!cd status [task]</code> — Show a task&#39;s status (default: the task this room last started or watched)</li>" +
    "<li><code>!cd logs &lt;task&gt; [--lines N] [--all]</code> — Show a task&#39;s output: what is new since the room&#39;s last logs, else the last lines (default 20, at most 200)</li>" +
    "<li><code>!cd stop &lt;task&gt; [--force]</code> — Stop a running task (asks for confirmation; --force kills it at once) (needs manage)</li>" +
    "<li><code>!cd approve &lt;task&gt;</code> — Let a task waiting for confirmation run (needs manage)</li>" +
    "<li><code>!cd reject &lt;task&gt;</code> — Refuse a task waiting for confirmation (needs manage)</li>" +
    "<li><code>!cd watch &lt;task&gt;</code> — Follow a task in this room (42, #42, 3/42 or a Semaphore link)</li>" +
    "<li><code>!cd unwatch &lt;task&gt;</code> — Stop following a task in this room</li>" +
    "<li><code>!cd watches</code> — Show what this room follows: tasks, subscriptions, default project</li>" +
    "<li><code>!cd subscribe &lt;project&gt; [template]</code> — Follow every task of a project (or of one template) in this room (needs manage)</li>" +
    "<li><code>!cd unsubscribe &lt;project&gt; [template]</code> — Stop following a project (or one template of it) in this room (needs manage)</li>" +
    "<li><code>!cd project [project | --clear]</code> — Set the project that bare task ids (42, #42) mean in this room (needs manage)</li>" +
    "<li><code>!cd admin</code> — Get into the bridge&#39;s admin room, re-creating it if it is lost (in a direct chat with me) (needs admin)</li>" +
    "</ul>";
