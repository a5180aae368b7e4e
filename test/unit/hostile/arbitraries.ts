import fc from "fast-check";

/**
 * Pieces of text an attacker (or an unlucky Semaphore user) puts where the bridge shows or parses
 * Semaphore's words: markup, mentions, forged alert lines, controls, quoting characters.
 */
export const HOSTILE_FRAGMENTS: readonly string[] = [
    "\n",
    "\r\n",
    "   \n",
    "Execution #: 999",
    "Status: ❌ERROR",
    "Status: ✅ SUCCESS",
    "[Task Link](https://semaphore.example.org/project/666/templates/9?t=999)",
    "/project/7/templates/8?t=9",
    "Author: eve",
    "Version: 6.6.6",
    "—",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<b>bold</b>",
    '<a href="https://evil.example">click</a>',
    "**bold** _it_ `code`",
    "[link](javascript:alert(1))",
    "@room",
    "@bob:localhost",
    "https://matrix.to/#/@bob:localhost",
    "\u0000",
    "\u0007",
    "\u001b[31m",
    "\u202e",
    "\u2066",
    "\u0085",
    '"',
    "'",
    "\\",
    "\\n",
    "&amp;",
    "&lt;",
    "#42",
    "🚀",
];

/** Text made of hostile fragments and arbitrary characters, sometimes long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
    fc.array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 24 }).map((parts) => parts.join("")),
    fc.string({ unit: "binary", maxLength: 64 }),
    fc.constantFrom(...HOSTILE_FRAGMENTS).map((fragment) => fragment.repeat(300)),
);

/** Every fragment in one string: the worst single value for a field. */
export const ALL_FRAGMENTS = HOSTILE_FRAGMENTS.join(" ");
