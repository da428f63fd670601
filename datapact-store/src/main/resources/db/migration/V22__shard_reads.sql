-- The regulator's per-entry tools across shards (issue 22): a node asked for an entry, a replay,
-- a page of entries or an auditor bundle of another node's ledger shard asks that node over the
-- change feed (a "read" change); the node writing the shard answers here (the HTTP status and
-- the JSON body it would have answered itself); the asker takes the answer once, deleting it.
-- An answer nobody took is deleted by the next answer written five minutes or more later.
CREATE TABLE shard_read (
    request_id  VARCHAR(36) PRIMARY KEY,
    origin      VARCHAR(200) NOT NULL,
    status      INT NOT NULL,
    body        TEXT NOT NULL,
    answered_at TIMESTAMP WITH TIME ZONE NOT NULL
);
