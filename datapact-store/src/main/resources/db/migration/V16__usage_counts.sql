-- Partner usage counts persisted (issue 22): each node writes its own counts since its start, per
-- principal, endpoint and effect, every poll of its change feed; a principal's usage is the sum
-- over every node, past starts included, so it survives restarts and adds up across nodes.
CREATE TABLE release_usage (
    node_id   VARCHAR(36) NOT NULL,
    principal VARCHAR(32) NOT NULL,
    endpoint  VARCHAR(120) NOT NULL,
    effect    VARCHAR(8) NOT NULL,
    calls     BIGINT NOT NULL,
    PRIMARY KEY (node_id, principal, endpoint, effect)
);
CREATE INDEX release_usage_principal ON release_usage (principal);
