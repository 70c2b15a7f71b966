-- Rollouts driven by whichever instance holds a deployment's lease, and package copies in the database so any
-- instance on any machine can serve a deployment's chunks after taking it over.
ALTER TABLE deployments
    ADD COLUMN package_sha256 text,
    ADD COLUMN rollback_sha256 text,
    ADD COLUMN lease_owner text,
    ADD COLUMN lease_expires timestamptz;

CREATE TABLE packages (
    sha256 text PRIMARY KEY,
    size bigint NOT NULL,
    data bytea NOT NULL,
    stored timestamptz NOT NULL
);
