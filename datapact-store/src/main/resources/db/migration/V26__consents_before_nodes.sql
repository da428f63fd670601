-- Consent changes ledgered before several nodes shared a store (issue 22) carry no node, so a node
-- started later never recorded them in its own shard, and its decisions about those users could not
-- replay from it. They are marked as made before the nodes: the shard that recorded them holds them
-- already (shard_consent, adopted with its other records from before), and every other shard
-- records them at its node's start, as it records the changes other nodes made while it was down.
-- No node is named 'before-nodes' (node ids are UUIDs), so no change feed ever polls them.
UPDATE consent_event SET node_id = 'before-nodes'
    WHERE node_id IS NULL AND ledger_index IS NOT NULL;
