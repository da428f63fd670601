-- Every ledger shard re-decides its own node's decisions from its log alone (issue 22): the party
-- list, the agreement versions and the generated consent history are committed to each node's
-- shard, so what has been committed is recorded per shard. The rows from before belong to the
-- shard that wrote them then; they are marked '' here and the first node to start adopts them.
CREATE TABLE ledger_shard_commit (
    shard       VARCHAR(200) NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    item        VARCHAR(128) NOT NULL,
    digest      VARCHAR(64) NOT NULL,
    entry_index BIGINT NOT NULL,
    PRIMARY KEY (shard, kind, item)
);

INSERT INTO ledger_shard_commit (shard, kind, item, digest, entry_index)
    SELECT '', kind, item, digest, entry_index FROM ledger_commit;

DROP TABLE ledger_commit;
