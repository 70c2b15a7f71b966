namespace Edge.Fleet.Storage.Sqlite;

/// <summary>The state database's tables. Times are ISO 8601 UTC text (sortable); JSON columns hold small documents.</summary>
internal static class FleetSchema
{
    public const string Version1 = """
        CREATE TABLE IF NOT EXISTS devices (
            device TEXT PRIMARY KEY,
            fleet TEXT NOT NULL,
            state TEXT NOT NULL,
            reason TEXT,
            last_seen TEXT,
            status_json TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS device_labels (
            device TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (device, name)
        );
        CREATE TABLE IF NOT EXISTS groups (
            name TEXT PRIMARY KEY,
            selector TEXT,
            created TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS group_members (
            group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
            device TEXT NOT NULL,
            PRIMARY KEY (group_name, device)
        );
        CREATE TABLE IF NOT EXISTS deployments (
            id TEXT PRIMARY KEY,
            package_path TEXT NOT NULL,
            package_name TEXT NOT NULL,
            package_version TEXT NOT NULL,
            group_name TEXT NOT NULL,
            options_json TEXT NOT NULL,
            state TEXT NOT NULL,
            reason TEXT,
            current_wave INTEGER NOT NULL DEFAULT 0,
            wave_state TEXT,
            wave_changed TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS deployment_devices (
            deployment TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
            device TEXT NOT NULL,
            wave INTEGER NOT NULL,
            state TEXT NOT NULL,
            reason TEXT,
            progress REAL,
            previous_version TEXT,
            job_id TEXT,
            started TEXT,
            finished TEXT,
            PRIMARY KEY (deployment, device)
        );
        CREATE INDEX IF NOT EXISTS deployment_devices_by_device ON deployment_devices(device, state);
        CREATE TABLE IF NOT EXISTS deployment_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            deployment TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            message TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS telemetry (
            device TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at TEXT NOT NULL,
            received TEXT NOT NULL,
            model TEXT,
            version TEXT,
            calls INTEGER,
            errors INTEGER,
            p50_ms REAL,
            p95_ms REAL,
            p99_ms REAL,
            cpu_percent REAL,
            memory_used_bytes INTEGER,
            memory_total_bytes INTEGER,
            temperature_celsius REAL,
            PRIMARY KEY (device, seq, model, version)
        );
        CREATE INDEX IF NOT EXISTS telemetry_by_time ON telemetry(received);
        CREATE TABLE IF NOT EXISTS malformed_telemetry (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            device TEXT,
            topic TEXT NOT NULL,
            received TEXT NOT NULL,
            error TEXT NOT NULL,
            excerpt TEXT NOT NULL
        );
        """;

    /// <summary>
    /// Version 2: who drives each deployment (its lease) and the SHA-256 of its packages. The SQLite store keeps no
    /// package copies: one state file serves one machine, where the paths hold.
    /// </summary>
    public const string Version2 = """
        ALTER TABLE deployments ADD COLUMN package_sha256 TEXT;
        ALTER TABLE deployments ADD COLUMN rollback_sha256 TEXT;
        ALTER TABLE deployments ADD COLUMN lease_owner TEXT;
        ALTER TABLE deployments ADD COLUMN lease_expires TEXT;
        """;

    /// <summary>
    /// Version 3: each device's latest shadow figures in a deployment (samples compared, agreements, candidate p95
    /// over served p95), from its state reports; null for a job without shadow.
    /// </summary>
    public const string Version3 = """
        ALTER TABLE deployment_devices ADD COLUMN shadow_samples INTEGER;
        ALTER TABLE deployment_devices ADD COLUMN shadow_agreements INTEGER;
        ALTER TABLE deployment_devices ADD COLUMN shadow_p95_ratio REAL;
        """;

    /// <summary>
    /// Version 4: each device's latest drift figures from its telemetry (docs/agent.md, "Drift"); the newest sample
    /// that carried a drift section wins.
    /// </summary>
    public const string Version4 = """
        CREATE TABLE device_drift (
            device TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            model TEXT NOT NULL,
            reference_version TEXT NOT NULL,
            window_samples INTEGER NOT NULL,
            samples INTEGER NOT NULL,
            input_distance REAL,
            input TEXT,
            channel INTEGER,
            confidence_psi REAL,
            sampled INTEGER NOT NULL,
            dropped INTEGER NOT NULL
        );
        """;
}
