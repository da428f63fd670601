-- Access-token signing keys shared by every node (issue 22): a token issued by one node is
-- accepted by all. Each key has an id (the JWT's kid); the newest signs, and an older one still
-- verifies until it is retired (a rotation retires the previous key once the tokens it signed have
-- expired). The secret is random, 32 bytes, base64; it never leaves the database and the nodes.
CREATE TABLE signing_key (
    kid        VARCHAR(32) PRIMARY KEY,
    purpose    VARCHAR(32) NOT NULL,
    secret     VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    retire_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX signing_key_purpose ON signing_key (purpose, created_at);
