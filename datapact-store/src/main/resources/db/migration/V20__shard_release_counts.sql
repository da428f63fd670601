-- The transparency report across shards (issue 22): the publishing node asks every other node to
-- count its ledger shard's releases of the period (a "count" change on the feed); each writes its
-- exact counts here under the request, the publisher adds them to its own and draws the noise once.
CREATE TABLE shard_release_count (
    request_id VARCHAR(36) NOT NULL,
    origin     VARCHAR(200) NOT NULL,
    node_id    VARCHAR(36) NOT NULL,
    entries    BIGINT NOT NULL,
    counts     VARCHAR(1000000) NOT NULL,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (request_id, origin)
);
