-- The reciprocity reports each ledger shard holds a `report_filed` entry of (issue 22): a duty-gated
-- decision replays only from a shard that holds the filings it was decided on, so a node records
-- another node's filing in its own shard before applying it, and at start those filed while it was
-- not running. The rows from before are the first shard's ('' until a node adopts them).
CREATE TABLE shard_report (
    shard     VARCHAR(200) NOT NULL,
    report_id BIGINT NOT NULL,
    PRIMARY KEY (shard, report_id)
);

INSERT INTO shard_report (shard, report_id)
    SELECT '', id FROM duty_report WHERE ledger_index IS NOT NULL;
