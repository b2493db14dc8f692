-- cursor-sync schema, version 2 (PostgreSQL only): the leases of a sync fleet. One row per
-- (team, stream) unit. A worker claims a unit whose lease is free or expired with
-- `SELECT … FOR UPDATE SKIP LOCKED`, sets itself as holder, bumps the generation and sets
-- the expiry; every batch it writes re-checks holder and generation in the batch's own
-- transaction, so a worker that lost its lease can never write again.
CREATE TABLE leases (
    team TEXT NOT NULL,
    stream TEXT NOT NULL,
    -- The rate-limit bucket group of the stream (its index in `StreamKind::BUCKETS`): two
    -- streams of one team and one bucket are not run at once.
    bucket BIGINT NOT NULL,
    -- The worker holding the lease (NULL when free) and until when (the server's clock,
    -- so the workers' clocks never matter).
    holder TEXT,
    expires_at TIMESTAMPTZ,
    -- How many times the unit was claimed: a claim increments it, so a holder that lost
    -- its lease and a new holder never share a generation.
    generation BIGINT NOT NULL DEFAULT 0,
    -- When the unit last ran to the end (NULL: never).
    done_at TIMESTAMPTZ,
    PRIMARY KEY (team, stream)
);
