-- The public transparency report (issue 21): each release of noisy counts, with the epsilon it
-- spent on its year's privacy budget. A row is written before the counts are drawn, so a release
-- that fails after its noise was drawn still counts against the budget (fail closed); the published
-- table and the index of its ledger entry are filled in once the entry is durable.
CREATE TABLE transparency_release (
    id            VARCHAR(36) PRIMARY KEY,
    period        VARCHAR(10) NOT NULL,
    budget_year   INTEGER NOT NULL,
    epsilon_num   BIGINT NOT NULL,
    epsilon_den   BIGINT NOT NULL,
    threshold     INTEGER NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_by  VARCHAR(80) NOT NULL,
    log_size      BIGINT,
    ledger_index  BIGINT,
    cells         VARCHAR(1000000)
);
CREATE INDEX transparency_release_year ON transparency_release (budget_year);
