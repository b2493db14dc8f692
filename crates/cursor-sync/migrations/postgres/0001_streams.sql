-- cursor-sync schema, version 1. One table per stream; every row carries its team (the name
-- given in the teams config). `raw` holds the API's JSON for the row (unknown fields
-- included) and is what an upsert compares to tell "updated" from "unchanged".
-- Money is DOUBLE PRECISION (fractional cents); booleans are 0/1 BIGINTs in both dialects.

-- Where each stream of each team stands: written in the same transaction as the rows it covers.
CREATE TABLE sync_state (
    team TEXT NOT NULL,
    stream TEXT NOT NULL,
    watermark_ms BIGINT NOT NULL,
    PRIMARY KEY (team, stream)
);

CREATE TABLE members (
    team TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT,
    role TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, email)
);

CREATE TABLE audit_events (
    team TEXT NOT NULL,
    event_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    timestamp_ms BIGINT,
    user_email TEXT,
    event_type TEXT NOT NULL,
    event_data TEXT,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, event_id)
);

CREATE TABLE daily_usage (
    team TEXT NOT NULL,
    date_ms BIGINT NOT NULL,
    day TEXT NOT NULL,
    email TEXT NOT NULL,
    is_active BIGINT NOT NULL,
    total_lines_added BIGINT NOT NULL,
    total_lines_deleted BIGINT NOT NULL,
    accepted_lines_added BIGINT NOT NULL,
    accepted_lines_deleted BIGINT NOT NULL,
    total_applies BIGINT NOT NULL,
    total_accepts BIGINT NOT NULL,
    total_rejects BIGINT NOT NULL,
    total_tabs_shown BIGINT NOT NULL,
    total_tabs_accepted BIGINT NOT NULL,
    composer_requests BIGINT NOT NULL,
    chat_requests BIGINT NOT NULL,
    agent_requests BIGINT NOT NULL,
    cmdk_usages BIGINT NOT NULL,
    subscription_included_reqs BIGINT NOT NULL,
    api_key_reqs BIGINT NOT NULL,
    usage_based_reqs BIGINT NOT NULL,
    bugbot_usages BIGINT NOT NULL,
    most_used_model TEXT,
    client_version TEXT,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, date_ms, email)
);

CREATE TABLE spend (
    team TEXT NOT NULL,
    cycle_start_ms BIGINT NOT NULL,
    email TEXT NOT NULL,
    name TEXT,
    role TEXT NOT NULL,
    spend_cents DOUBLE PRECISION NOT NULL,
    fast_premium_requests BIGINT NOT NULL,
    hard_limit_override_dollars BIGINT,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, cycle_start_ms, email)
);

CREATE TABLE usage_events (
    team TEXT NOT NULL,
    timestamp_ms BIGINT NOT NULL,
    user_email TEXT NOT NULL,
    model TEXT NOT NULL,
    kind TEXT NOT NULL,
    seq BIGINT NOT NULL,
    max_mode BIGINT NOT NULL,
    requests_costs DOUBLE PRECISION NOT NULL,
    is_token_based_call BIGINT NOT NULL,
    input_tokens BIGINT,
    output_tokens BIGINT,
    cache_write_tokens BIGINT,
    cache_read_tokens BIGINT,
    total_cents DOUBLE PRECISION,
    cursor_token_fee DOUBLE PRECISION,
    dashboard_cents DOUBLE PRECISION NOT NULL,
    is_free_bugbot BIGINT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, timestamp_ms, user_email, model, kind, seq)
);

CREATE TABLE aicode_commits (
    team TEXT NOT NULL,
    commit_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_at_ms BIGINT,
    user_id TEXT,
    user_email TEXT,
    repo_name TEXT,
    branch_name TEXT,
    is_primary_branch BIGINT,
    total_lines_added BIGINT,
    total_lines_deleted BIGINT,
    tab_lines_added BIGINT,
    tab_lines_deleted BIGINT,
    composer_lines_added BIGINT,
    composer_lines_deleted BIGINT,
    non_ai_lines_added BIGINT,
    non_ai_lines_deleted BIGINT,
    message TEXT,
    commit_ts TEXT,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, commit_hash, created_at)
);

CREATE TABLE aicode_changes (
    team TEXT NOT NULL,
    change_id TEXT NOT NULL,
    created_at TEXT,
    created_at_ms BIGINT,
    user_id TEXT,
    user_email TEXT,
    source TEXT,
    model TEXT,
    total_lines_added BIGINT,
    total_lines_deleted BIGINT,
    metadata TEXT,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, change_id)
);

CREATE TABLE analytics_team (
    team TEXT NOT NULL,
    metric TEXT NOT NULL,
    day TEXT NOT NULL,
    dimension TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, metric, day, dimension)
);

CREATE TABLE agents (
    team TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    repository TEXT,
    git_ref TEXT,
    branch_name TEXT,
    url TEXT,
    pr_url TEXT,
    summary TEXT,
    created_at TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (team, id)
);

CREATE INDEX usage_events_by_user ON usage_events (team, user_email, timestamp_ms);
CREATE INDEX audit_events_by_time ON audit_events (team, timestamp_ms);
