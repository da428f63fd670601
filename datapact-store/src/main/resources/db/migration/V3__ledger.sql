-- What the store has committed to the ledger, so every agreement version, party list and consent
-- change reaches the log exactly once, and the derived index from a subject's pseudonym to the
-- entries about them (the user's own view; rows are deleted when the subject is erased).

CREATE TABLE ledger_commit (
    kind        VARCHAR(32) NOT NULL,
    item        VARCHAR(128) NOT NULL,
    digest      VARCHAR(64) NOT NULL,
    entry_index BIGINT NOT NULL,
    PRIMARY KEY (kind, item)
);

-- The ledger index of a consent change recorded through the API (ledger first, then here); NULL
-- for changes that reached the store another way (the demo generator) and still await commit.
ALTER TABLE consent_event ADD COLUMN ledger_index BIGINT;

-- subject: the first 64 bits of the pseudonym (compact and cheap to compare); a reader checks the
-- full pseudonym in the entry itself.
CREATE TABLE ledger_subject_entry (
    subject     BIGINT NOT NULL,
    entry_index BIGINT NOT NULL,
    PRIMARY KEY (subject, entry_index)
);
CREATE INDEX ledger_subject_entry_index ON ledger_subject_entry (entry_index);
