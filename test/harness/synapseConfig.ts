import { randomBytes } from "node:crypto";
import * as path from "node:path";

/** The appservice registration the harness hands to Synapse before it starts (see SYNAPSE.md). */
export interface TestAppserviceRegistration {
    id: string;
    as_token: string;
    hs_token: string;
    url: string;
    sender_localpart: string;
    rate_limited: false;
    namespaces: {
        users: { exclusive: boolean; regex: string }[];
        aliases: { exclusive: boolean; regex: string }[];
        rooms: { exclusive: boolean; regex: string }[];
    };
}

export const TEST_SERVER_NAME = "localhost";
export const TEST_APPSERVICE_ID = "semaphore-test";
export const TEST_BOT_LOCALPART = "semaphore";

export function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function randomToken(): string {
    return randomBytes(24).toString("hex");
}

/** A registration for the bridge under test, pointing Synapse at `http://127.0.0.1:<bridgePort>`. */
export function buildTestRegistration(bridgePort: number): TestAppserviceRegistration {
    return {
        id: TEST_APPSERVICE_ID,
        as_token: randomToken(),
        hs_token: randomToken(),
        url: `http://127.0.0.1:${bridgePort}`,
        sender_localpart: TEST_BOT_LOCALPART,
        rate_limited: false,
        namespaces: {
            users: [{ exclusive: true, regex: `^${escapeRegex(`@${TEST_BOT_LOCALPART}:${TEST_SERVER_NAME}`)}$` }],
            aliases: [],
            rooms: [],
        },
    };
}

export interface SynapseConfigInput {
    port: number;
    dataDir: string;
    registrationPath: string;
    registrationSharedSecret: string;
}

// Tests send bursts far beyond what a public server allows; any limit hit shows up as a flaky 429.
const UNLIMITED = { per_second: 1000, burst_count: 1000 };

/** homeserver.yaml content: loopback only, SQLite file, no federation or outbound network, no rate limits. */
export function buildSynapseConfig(input: SynapseConfigInput): Record<string, unknown> {
    const { port, dataDir } = input;
    return {
        server_name: TEST_SERVER_NAME,
        public_baseurl: `http://127.0.0.1:${port}/`,
        listeners: [
            {
                port,
                type: "http",
                tls: false,
                x_forwarded: false,
                bind_addresses: ["127.0.0.1"],
                resources: [{ names: ["client"], compress: false }],
            },
        ],
        database: { name: "sqlite3", args: { database: path.join(dataDir, "homeserver.db") } },
        media_store_path: path.join(dataDir, "media"),
        signing_key_path: path.join(dataDir, "signing.key"),
        registration_shared_secret: input.registrationSharedSecret,
        macaroon_secret_key: randomToken(),
        form_secret: randomToken(),
        bcrypt_rounds: 4,
        enable_registration: false,
        report_stats: false,
        trusted_key_servers: [],
        suppress_key_server_warning: true,
        federation_domain_whitelist: [],
        // No other servers exist; without this Synapse still queues every event for federation sending.
        federation_sender_instances: [],
        presence: { enabled: false },
        url_preview_enabled: false,
        enable_metrics: false,
        app_service_config_files: [input.registrationPath],
        rc_message: UNLIMITED,
        rc_registration: UNLIMITED,
        rc_registration_token_validity: UNLIMITED,
        rc_login: { address: UNLIMITED, account: UNLIMITED, failed_attempts: UNLIMITED },
        rc_admin_redaction: UNLIMITED,
        rc_joins: { local: UNLIMITED, remote: UNLIMITED },
        rc_joins_per_room: UNLIMITED,
        rc_invites: { per_room: UNLIMITED, per_user: UNLIMITED, per_issuer: UNLIMITED },
        rc_third_party_invite: UNLIMITED,
        rc_room_creation: UNLIMITED,
        rc_3pid_validation: UNLIMITED,
        rc_media_create: UNLIMITED,
        rc_delayed_event_mgmt: UNLIMITED,
        rc_reports: UNLIMITED,
        rc_presence: { per_user: UNLIMITED },
    };
}
