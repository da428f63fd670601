-- The consent changes made through a node (ledgered in that node's shard) that each shard also
-- holds (issue 22): a node records another node's change in its own shard before applying it, and
-- at start it records those made while it was not running, so that its shard re-decides its own
-- decisions alone. The rows from before are the first shard's ('' until a node adopts them, with
-- its ledger_shard_commit rows). The generated history (ledger_index NULL) is tracked by each
-- shard's watermark in ledger_shard_commit instead.
CREATE TABLE shard_consent (
    shard      VARCHAR(200) NOT NULL,
    consent_id BIGINT NOT NULL,
    PRIMARY KEY (shard, consent_id)
);

INSERT INTO shard_consent (shard, consent_id)
    SELECT '', id FROM consent_event WHERE ledger_index IS NOT NULL;
