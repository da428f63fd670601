-- Several nodes on one database (issue 22). Each node registers here and beats every poll; the
-- policy changes it makes (consents, agreement status, filings, parties) are numbered per node, in
-- the order the node applied them under its decision lock, so every other node applies them in
-- that order and misses none (a per-node number has no gaps; a global identity can commit out of
-- order across nodes).
CREATE TABLE cluster_node (
    node_id    VARCHAR(36) PRIMARY KEY,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

ALTER TABLE consent_event ADD COLUMN node_id VARCHAR(36);
ALTER TABLE consent_event ADD COLUMN node_seq BIGINT;
CREATE INDEX consent_event_node ON consent_event (node_id, node_seq);

CREATE TABLE policy_change (
    node_id  VARCHAR(36) NOT NULL,
    node_seq BIGINT NOT NULL,
    kind     VARCHAR(16) NOT NULL,
    detail   VARCHAR(400) NOT NULL,
    at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_id, node_seq)
);
