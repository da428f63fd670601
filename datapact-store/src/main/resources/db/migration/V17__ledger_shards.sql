-- One ledger shard per node (issue 22). Each node's ledger is its own log with its own key; the
-- nodes list their shards here with the newest signed checkpoint, so the regulator's view and the
-- verifier know every shard there is, and a partner's receipt (which names its shard) can be
-- reconciled against the right log.
CREATE TABLE ledger_shard (
    origin       VARCHAR(200) PRIMARY KEY,
    verifier_key VARCHAR(200) NOT NULL,
    node_id      VARCHAR(36) NOT NULL,
    tree_size    BIGINT NOT NULL,
    checkpoint   VARCHAR(2000),
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Which erasures each shard has applied (its per-user ledger key destroyed, or none held): a node
-- that was down when another erased a user applies every erasure its shard has not, before it
-- serves, so one erasure erases on every node, also those that were not running.
CREATE TABLE erasure_applied (
    shard    VARCHAR(200) NOT NULL,
    node_id  VARCHAR(36) NOT NULL,
    node_seq BIGINT NOT NULL,
    PRIMARY KEY (shard, node_id, node_seq)
);
