-- cursor-sync schema, version 3: the Analytics stream's `ETag` answers, saved between runs so
-- that a run's first requests are conditional and an unchanged metric is a 304 that costs no
-- rate-limit budget. `request` names the request as the SDK's cache does (a fingerprint of the
-- API key, never the key, the method and the URL); `seq` keeps the cache's order.
CREATE TABLE etags (
    team TEXT NOT NULL,
    request TEXT NOT NULL,
    seq BIGINT NOT NULL,
    etag TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (team, request)
);
