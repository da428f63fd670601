-- The regulator's figures across shards (issue 22): each node counts its own ledger shard
-- (LedgerActivity) and writes the counts here when a regulator's view asks every node for them
-- (an "activity" change on the feed); the view adds every shard's counts up, saying how current
-- each is.
CREATE TABLE shard_activity (
    origin   VARCHAR(200) PRIMARY KEY,
    node_id  VARCHAR(36) NOT NULL,
    entries  BIGINT NOT NULL,
    activity VARCHAR(1000000) NOT NULL,
    at       TIMESTAMP WITH TIME ZONE NOT NULL
);
