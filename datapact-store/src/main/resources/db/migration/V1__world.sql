-- The platform's world: parties and their clients, console accounts, users, the friend graph
-- and inboxes. Runs unchanged on H2 and PostgreSQL.

CREATE TABLE world_meta (
    id                INTEGER PRIMARY KEY,
    seed              BIGINT NOT NULL,
    user_count        INTEGER NOT NULL,
    generator_version INTEGER NOT NULL,
    generated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT world_meta_single_row CHECK (id = 1)
);

CREATE TABLE party (
    id           VARCHAR(32) PRIMARY KEY,
    kind         VARCHAR(16) NOT NULL,
    display_name VARCHAR(128) NOT NULL,
    description  VARCHAR(512) NOT NULL,
    CONSTRAINT party_kind CHECK (kind IN ('platform', 'partner', 'unit'))
);

CREATE TABLE client_credential (
    client_id   VARCHAR(64) PRIMARY KEY,
    party_id    VARCHAR(32) NOT NULL REFERENCES party (id),
    secret_hash VARCHAR(256) NOT NULL
);

CREATE TABLE console_account (
    handle       VARCHAR(64) PRIMARY KEY,
    display_name VARCHAR(128) NOT NULL,
    role         VARCHAR(16) NOT NULL,
    party_id     VARCHAR(32) REFERENCES party (id),
    CONSTRAINT console_account_role CHECK (role IN ('operator', 'regulator', 'partner')),
    CONSTRAINT console_account_party CHECK ((role = 'partner') = (party_id IS NOT NULL))
);

CREATE TABLE app_user (
    id           BIGINT PRIMARY KEY,
    handle       VARCHAR(64) NOT NULL,
    display_name VARCHAR(128) NOT NULL,
    country      CHAR(2) NOT NULL,
    CONSTRAINT app_user_handle UNIQUE (handle)
);

-- One row per user with the ascending ids of their friends (both directions of every
-- friendship are stored), so "friends of u" is one primary-key read. See
-- docs/decisions/2026-11-29-friend-lists-as-arrays.md.
CREATE TABLE friend_list (
    user_id    BIGINT PRIMARY KEY,
    friend_ids BIGINT ARRAY NOT NULL
);

CREATE TABLE inbox_thread (
    id         BIGINT PRIMARY KEY,
    subject    VARCHAR(200) NOT NULL,
    via_party  VARCHAR(32) REFERENCES party (id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE thread_participant (
    thread_id BIGINT NOT NULL,
    user_id   BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX thread_participant_user ON thread_participant (user_id, thread_id);

CREATE TABLE message (
    id        BIGINT PRIMARY KEY,
    thread_id BIGINT NOT NULL,
    sender_id BIGINT NOT NULL,
    sent_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    body      VARCHAR(2000) NOT NULL,
    via_party VARCHAR(32) REFERENCES party (id)
);
CREATE INDEX message_thread ON message (thread_id, id);
