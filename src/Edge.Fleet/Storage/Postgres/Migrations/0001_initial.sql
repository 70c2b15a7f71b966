-- edge-fleet state in PostgreSQL, version 1. Applied by PostgresMigrations in one transaction; never edit a
-- released script: add NNNN_next.sql instead. Times are timestamptz (UTC); JSON documents are jsonb.

CREATE TABLE devices (
    device text PRIMARY KEY,
    fleet text NOT NULL,
    state text NOT NULL,
    reason text,
    last_seen timestamptz,
    status_json jsonb NOT NULL
);

CREATE TABLE device_labels (
    device text NOT NULL,
    name text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (device, name)
);

CREATE TABLE groups (
    name text PRIMARY KEY,
    selector text,
    created timestamptz NOT NULL
);

-- position keeps the listed order of a group's devices.
CREATE TABLE group_members (
    group_name text NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
    device text NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (group_name, device)
);
CREATE INDEX group_members_by_device ON group_members(device);

CREATE TABLE deployments (
    id text PRIMARY KEY,
    package_path text NOT NULL,
    package_name text NOT NULL,
    package_version text NOT NULL,
    group_name text NOT NULL,
    options_json jsonb NOT NULL,
    state text NOT NULL,
    reason text,
    current_wave integer NOT NULL DEFAULT 0,
    wave_state text,
    wave_changed timestamptz,
    created timestamptz NOT NULL,
    updated timestamptz NOT NULL
);
CREATE INDEX deployments_by_group ON deployments(group_name, state);

CREATE TABLE deployment_devices (
    deployment text NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    device text NOT NULL,
    wave integer NOT NULL,
    state text NOT NULL,
    reason text,
    progress double precision,
    previous_version text,
    job_id text,
    started timestamptz,
    finished timestamptz,
    PRIMARY KEY (deployment, device)
);
CREATE INDEX deployment_devices_by_device ON deployment_devices(device, state);

CREATE TABLE deployment_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment text NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    at timestamptz NOT NULL,
    message text NOT NULL
);
CREATE INDEX deployment_events_by_deployment ON deployment_events(deployment, id);

-- Raw telemetry: one row per device, sample (the agent's outbox seq) and model version. Range-partitioned by the
-- sample time into daily partitions telemetry_YYYYMMDD, created on demand before insert and dropped by retention
-- after their rows are folded into telemetry_1m. The key holds the partition key (at); a re-delivered sample keeps
-- its seq and time, so it collides and is skipped (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE telemetry (
    device text NOT NULL,
    seq bigint NOT NULL,
    at timestamptz NOT NULL,
    received timestamptz NOT NULL,
    model text NOT NULL,
    version text NOT NULL,
    calls bigint,
    errors bigint,
    p50_ms double precision,
    p95_ms double precision,
    p99_ms double precision,
    cpu_percent double precision,
    memory_used_bytes bigint,
    memory_total_bytes bigint,
    temperature_celsius double precision,
    PRIMARY KEY (device, seq, model, version, at)
) PARTITION BY RANGE (at);
CREATE INDEX telemetry_by_time ON telemetry(at);

-- 1-minute aggregates of raw rows past retention: calls and errors summed, latency percentiles averaged (p99 as the
-- worst minute value), CPU averaged, memory and temperature at their maximum.
CREATE TABLE telemetry_1m (
    device text NOT NULL,
    model text NOT NULL,
    version text NOT NULL,
    minute timestamptz NOT NULL,
    samples integer NOT NULL,
    calls bigint,
    errors bigint,
    p50_ms double precision,
    p95_ms double precision,
    p99_ms double precision,
    cpu_percent double precision,
    memory_used_bytes bigint,
    memory_total_bytes bigint,
    temperature_celsius double precision,
    PRIMARY KEY (device, model, version, minute)
);
CREATE INDEX telemetry_1m_by_time ON telemetry_1m(minute);

CREATE TABLE malformed_telemetry (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device text,
    topic text NOT NULL,
    received timestamptz NOT NULL,
    error text NOT NULL,
    excerpt text NOT NULL
);
CREATE INDEX malformed_telemetry_by_time ON malformed_telemetry(received);
