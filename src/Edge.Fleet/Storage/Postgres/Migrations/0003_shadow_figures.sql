-- Each device's latest shadow figures in a deployment (docs/ota.md, "Shadow evaluation"), kept from its state reports:
-- the wave's pooled agreement is judged on them and status shows them. Null for a job without shadow.
ALTER TABLE deployment_devices
    ADD COLUMN shadow_samples bigint,
    ADD COLUMN shadow_agreements bigint,
    ADD COLUMN shadow_p95_ratio double precision;
