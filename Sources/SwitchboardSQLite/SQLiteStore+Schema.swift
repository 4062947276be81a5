import GRDB

extension SQLiteStore {
    /// Versioned migrations; a migration, once released, is never edited.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE, key_prefix TEXT NOT NULL, created_at REAL NOT NULL, revoked_at REAL
                );
                CREATE TABLE endpoints (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL,
                    description TEXT NOT NULL, event_types TEXT NOT NULL, auth_mode TEXT NOT NULL, secret TEXT NOT NULL,
                    previous_secret TEXT, previous_secret_expires_at REAL, enabled INTEGER NOT NULL,
                    disabled_reason TEXT, disabled_at REAL, failing_since REAL, max_concurrency INTEGER NOT NULL,
                    headers TEXT NOT NULL, source_ids TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL
                );
                CREATE INDEX endpoints_by_tenant ON endpoints(tenant_id, created_at);
                CREATE TABLE events (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, event_type TEXT NOT NULL, payload BLOB NOT NULL,
                    origin TEXT NOT NULL, status TEXT NOT NULL, idempotency_key TEXT, request_hash TEXT,
                    replay_of TEXT, source_id TEXT, correlation_id TEXT, created_at REAL NOT NULL
                );
                CREATE INDEX events_newest ON events(tenant_id, created_at DESC);
                CREATE INDEX events_newest_all ON events(created_at DESC);
                CREATE INDEX events_by_idempotency_key ON events(tenant_id, idempotency_key, created_at) WHERE idempotency_key IS NOT NULL;
                CREATE INDEX events_by_type ON events(tenant_id, event_type, created_at DESC);
                CREATE INDEX events_by_status ON events(tenant_id, status, created_at DESC);
                CREATE TABLE deliveries (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, event_id TEXT NOT NULL, endpoint_id TEXT NOT NULL,
                    state TEXT NOT NULL, attempt_count INTEGER NOT NULL, next_attempt_at REAL, lease_expires_at REAL,
                    last_status_code INTEGER, last_error TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL
                );
                CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
                CREATE INDEX deliveries_by_event ON deliveries(event_id);
                CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, state, created_at);
                CREATE TABLE attempts (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, delivery_id TEXT NOT NULL, event_id TEXT NOT NULL,
                    endpoint_id TEXT NOT NULL, number INTEGER NOT NULL, url TEXT NOT NULL, request_headers TEXT NOT NULL,
                    status_code INTEGER, error_class TEXT, error_message TEXT, response_body TEXT,
                    duration_ms INTEGER NOT NULL, created_at REAL NOT NULL, next_retry_at REAL
                );
                CREATE INDEX attempts_by_delivery ON attempts(delivery_id, number);
                CREATE INDEX attempts_by_event ON attempts(event_id, created_at);
                CREATE INDEX attempts_by_tenant ON attempts(tenant_id, created_at);
                """)
        }
        return migrator
    }
}
