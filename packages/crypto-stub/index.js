"use strict";
// matrix-semaphore-bridge does not use end-to-end encryption. The real native binding downloads a
// binary from GitHub in a postinstall script, which cannot run here, so package.json `overrides`
// points the bot SDK at this module instead. The SDK only touches it when encryption is enabled.
function unavailable() {
    throw new Error(
        "End-to-end encryption is unavailable in matrix-semaphore-bridge: " +
        "@matrix-org/matrix-sdk-crypto-nodejs is replaced by a stub (see README, 'Encryption')."
    );
}
module.exports = new Proxy({}, {
    get(_target, prop) {
        // Let module loaders and bundlers probe harmlessly (e.g. `__esModule`, `then`).
        if (prop === "__esModule" || prop === "then" || typeof prop === "symbol") return undefined;
        return unavailable;
    },
});
