-- Each device's latest drift figures (docs/agent.md, "Drift"), kept from its telemetry: the newest sample that carried
-- a drift section wins. One row per device; a device whose package has no drift reference has none.
CREATE TABLE device_drift (
    device text PRIMARY KEY,
    at timestamptz NOT NULL,
    model text NOT NULL,
    reference_version text NOT NULL,
    window_samples integer NOT NULL,
    samples integer NOT NULL,
    input_distance double precision,
    input text,
    channel integer,
    confidence_psi double precision,
    sampled bigint NOT NULL,
    dropped bigint NOT NULL
);
