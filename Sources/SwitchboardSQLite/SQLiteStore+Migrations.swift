import GRDB

extension SQLiteStore {
    /// The schema's versioned migrations, applied in order at open. A migration, once
    /// released, is never edited: changes go in a new one ("v2-…").
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: v1Tables)
            try db.execute(sql: v1Indexes)
        }
        migrator.registerMigration("v2-sources") { db in
            try db.execute(sql: v2Sources)
        }
        migrator.registerMigration("v3-fenced-leases") { db in
            try db.execute(sql: v3FencedLeases)
        }
        migrator.registerMigration("v4-search-indexes") { db in
            try db.execute(sql: v4SearchIndexes)
        }
        migrator.registerMigration("v5-attempt-node") { db in
            try db.execute(sql: "ALTER TABLE attempts ADD COLUMN node TEXT")
        }
        migrator.registerMigration("v6-covering-search") { db in
            try db.execute(sql: v6CoveringSearch)
        }
        migrator.registerMigration("v7-endpoint-indexes-by-state") { db in
            try db.execute(sql: v7EndpointIndexesByState)
        }
        return migrator
    }

    /// Tables are STRICT, so a value of the wrong type (a date as text) fails loudly.
    private static let v1Tables = """
        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            scopes TEXT NOT NULL,                  -- comma-separated, sorted: "read,write"
            key_hash TEXT NOT NULL UNIQUE,
            key_prefix TEXT NOT NULL,
            created_at REAL NOT NULL,
            revoked_at REAL
        ) STRICT;

        CREATE TABLE endpoints (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            description TEXT NOT NULL,
            event_types TEXT NOT NULL,             -- JSON array of strings
            auth_mode TEXT NOT NULL,
            secret TEXT NOT NULL,
            previous_secret TEXT,
            previous_secret_expires_at REAL,
            enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            disabled_reason TEXT,
            disabled_at REAL,
            failing_since REAL,
            max_concurrency INTEGER NOT NULL,
            headers TEXT NOT NULL,                 -- JSON object of strings
            source_ids TEXT NOT NULL,              -- JSON array of strings
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        ) STRICT;

        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            payload BLOB NOT NULL,
            origin TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('QUEUED', 'DELIVERED', 'PARTIAL', 'FAILED', 'REPLAYED')),
            idempotency_key TEXT,
            request_hash TEXT,
            replay_of TEXT,
            source_id TEXT,
            correlation_id TEXT,
            created_at REAL NOT NULL
        ) STRICT;

        CREATE TABLE deliveries (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            endpoint_id TEXT NOT NULL,             -- no foreign key: deliveries outlive a deleted endpoint
            state TEXT NOT NULL
                CHECK (state IN ('pending', 'in_flight', 'scheduled', 'succeeded', 'failed', 'paused', 'cancelled')),
            attempt_count INTEGER NOT NULL,
            next_attempt_at REAL,
            lease_expires_at REAL,
            last_status_code INTEGER,
            last_error TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        ) STRICT;

        CREATE TABLE attempts (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            endpoint_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            url TEXT NOT NULL,
            request_headers TEXT NOT NULL,         -- JSON object of strings
            status_code INTEGER,
            error_class TEXT,
            error_message TEXT,
            response_body TEXT,
            duration_ms INTEGER NOT NULL,
            created_at REAL NOT NULL,
            next_retry_at REAL
        ) STRICT;
        """

    /// Every index names the query it serves. Ascending indexes scanned backwards give
    /// "newest first, latest inserted first on a tie" (`created_at DESC, seq DESC`) with no sort.
    private static let v1Indexes = """
        -- apiKeys(tenant:), oldest first.
        CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id, created_at);
        -- endpoints(tenant:), oldest first.
        CREATE INDEX endpoints_by_tenant ON endpoints(tenant_id, created_at);

        -- events(_:) newest first in a tenant, with its total; usage.
        CREATE INDEX events_by_tenant_time ON events(tenant_id, created_at);
        -- events(_:) newest first across tenants (console).
        CREATE INDEX events_by_time ON events(created_at);
        -- events(_:) filtered by status or exact event type.
        CREATE INDEX events_by_tenant_status ON events(tenant_id, status, created_at);
        CREATE INDEX events_by_tenant_type ON events(tenant_id, event_type, created_at);
        -- Idempotency-key lookups at insert.
        CREATE INDEX events_by_idempotency_key ON events(tenant_id, idempotency_key, created_at)
            WHERE idempotency_key IS NOT NULL;

        -- Gauges and the retry queue by state; in-flight rows (few: at most the dispatchers'
        -- concurrency) for expired leases.
        CREATE INDEX deliveries_by_state ON deliveries(state, next_attempt_at);
        -- An event's deliveries; event status recomputation.
        CREATE INDEX deliveries_by_event ON deliveries(event_id);
        -- Pause, resume, delete and recover an endpoint's deliveries; events filtered by endpoint.
        CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, state, created_at);
        -- Claims: each endpoint's waiting deliveries, soonest first (one seek per endpoint).
        CREATE INDEX deliveries_waiting ON deliveries(endpoint_id, next_attempt_at)
            WHERE state IN ('pending', 'scheduled');
        -- usage(tenant:since:).
        CREATE INDEX deliveries_by_tenant_time ON deliveries(tenant_id, created_at);

        -- A delivery's attempts, first first; an event's attempts; usage.
        CREATE INDEX attempts_by_delivery ON attempts(delivery_id, number);
        CREATE INDEX attempts_by_event ON attempts(event_id, created_at);
        CREATE INDEX attempts_by_tenant_time ON attempts(tenant_id, created_at);
        """

    /// Inbound sources, the provider headers forwarded with their events, and the indexes
    /// of per-source listings and retention.
    private static let v2Sources = """
        CREATE TABLE sources (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            provider TEXT NOT NULL,
            signing_secret TEXT NOT NULL,
            previous_signing_secret TEXT,
            previous_secret_expires_at REAL,
            slug TEXT NOT NULL UNIQUE,
            hmac_options TEXT NOT NULL,            -- JSON object (GenericHMACOptions)
            retention_days INTEGER,
            events_received INTEGER NOT NULL DEFAULT 0,
            rejected_count INTEGER NOT NULL DEFAULT 0,
            last_rejection_reason TEXT,
            last_rejected_at REAL,
            last_received_at REAL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        ) STRICT;
        -- sources(tenant:), oldest first.
        CREATE INDEX sources_by_tenant ON sources(tenant_id, created_at);

        ALTER TABLE events ADD COLUMN source_headers TEXT NOT NULL DEFAULT '{}';   -- JSON object of strings
        -- events(_:) of one source, newest first.
        CREATE INDEX events_by_source ON events(source_id, created_at) WHERE source_id IS NOT NULL;
        """

    /// Claims carry a lease token that the attempt's write must still hold; attempts made by a
    /// send that outlived its lease are kept, flagged; `Retry-After` holds a whole endpoint;
    /// an endpoint may limit the deliveries started per second.
    private static let v3FencedLeases = """
        ALTER TABLE deliveries ADD COLUMN lease_token INTEGER;
        ALTER TABLE attempts ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1));
        ALTER TABLE endpoints ADD COLUMN throttled_until REAL;
        ALTER TABLE endpoints ADD COLUMN rate_limit_per_second INTEGER CHECK (rate_limit_per_second > 0);
        """

    /// Store-side search, the failures list and the per-endpoint queue summary. The partial
    /// indexes hold only the rows their query reads (failed, retrying, waiting), so they cost
    /// little on the hot path; a query uses one only when its `WHERE` repeats the index's.
    private static let v4SearchIndexes = """
        -- events(_:) with deliveryStatus failed: events with a delivery failed for good.
        CREATE INDEX deliveries_failed_by_event ON deliveries(event_id) WHERE state = 'failed';
        -- events(_:) with deliveryStatus retrying: events with a delivery scheduled after a failure.
        CREATE INDEX deliveries_retrying_by_event ON deliveries(event_id) WHERE state = 'scheduled' AND attempt_count > 0;
        -- failedDeliveries(tenant:limit:), newest updated first.
        CREATE INDEX deliveries_failures ON deliveries(updated_at)
            WHERE state = 'failed' OR (state = 'scheduled' AND attempt_count > 0);
        -- queueSummary(tenant:) in one grouped pass (covering); queuedDeliveries' paused part.
        CREATE INDEX deliveries_queue ON deliveries(endpoint_id, state, next_attempt_at)
            WHERE state IN ('pending', 'scheduled', 'paused');
        """

    /// Search over a million events without reading their rows: the time indexes carry what
    /// the filters test (type, status, id; `seq` right after the time keeps "newest first" a
    /// plain index walk), and the failed and retrying indexes lead with the tenant, so a
    /// status search starts from the deliveries it matches. Each tenant's event count is kept
    /// by triggers, so an unfiltered listing's total (every window the console loads) is a
    /// lookup instead of a count of a million index entries. Rebuilds four indexes once
    /// (seconds at a million events).
    private static let v6CoveringSearch = """
        CREATE TABLE event_counts (
            tenant_id TEXT NOT NULL PRIMARY KEY,
            count INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO event_counts (tenant_id, count) SELECT tenant_id, COUNT(*) FROM events GROUP BY tenant_id;
        CREATE TRIGGER events_counted_in AFTER INSERT ON events BEGIN
            INSERT INTO event_counts (tenant_id, count) VALUES (NEW.tenant_id, 1)
                ON CONFLICT (tenant_id) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER events_counted_out AFTER DELETE ON events BEGIN
            UPDATE event_counts SET count = count - 1 WHERE tenant_id = OLD.tenant_id;
        END;

        DROP INDEX events_by_tenant_time;
        CREATE INDEX events_by_tenant_time ON events(tenant_id, created_at, seq, event_type, status, id);
        DROP INDEX events_by_time;
        CREATE INDEX events_by_time ON events(created_at, seq, event_type, status, tenant_id, id);
        DROP INDEX deliveries_failed_by_event;
        CREATE INDEX deliveries_failed_by_event ON deliveries(tenant_id, event_id) WHERE state = 'failed';
        DROP INDEX deliveries_retrying_by_event;
        CREATE INDEX deliveries_retrying_by_event ON deliveries(tenant_id, event_id) WHERE state = 'scheduled' AND attempt_count > 0;
        """

    /// One index entry per fresh delivery that leads with its endpoint, for wide fan-outs:
    /// each such index puts the delivery on a page of its own endpoint, so an event sent to 64
    /// endpoints dirtied 3 × 64 leaf pages in its commit, and every claim and outcome moved
    /// entries in two of them. Each index below holds deliveries in some states only, so a
    /// delivery is in exactly one of them at a time (in flight: `deliveries_by_state`), and a
    /// query about an endpoint's deliveries in any state reads the ones it needs:
    /// - `deliveries_waiting` (pending, scheduled) also serves the queue summary, `state` riding
    ///   along so its grouped pass reads no row, which `deliveries_queue` did;
    /// - `deliveries_paused`: resuming, one endpoint's paused queue, the summary's paused counts
    ///   (`state` again makes it covering);
    /// - `deliveries_finished_by_endpoint` (succeeded, failed, cancelled) replaces
    ///   `deliveries_by_endpoint`: events filtered by endpoint, failed deliveries requeued by time.
    /// Its condition is written with `OR` so that a query for one of its states can use it.
    ///
    /// `deliveries_by_state` is keyed by lease expiry instead of due date (which no query
    /// ordered it by): a claim's search for lapsed leases read every in-flight row, up to the
    /// dispatcher's 2,048 held, and now seeks to the lapsed ones. Rebuilds four indexes once.
    private static let v7EndpointIndexesByState = """
        DROP INDEX deliveries_by_state;
        CREATE INDEX deliveries_by_state ON deliveries(state, lease_expires_at);
        DROP INDEX deliveries_queue;
        DROP INDEX deliveries_waiting;
        DROP INDEX deliveries_by_endpoint;
        CREATE INDEX deliveries_waiting ON deliveries(endpoint_id, next_attempt_at, state)
            WHERE state IN ('pending', 'scheduled');
        CREATE INDEX deliveries_paused ON deliveries(endpoint_id, created_at, state) WHERE state = 'paused';
        CREATE INDEX deliveries_finished_by_endpoint ON deliveries(endpoint_id, created_at)
            WHERE state = 'succeeded' OR state = 'failed' OR state = 'cancelled';
        """
}
