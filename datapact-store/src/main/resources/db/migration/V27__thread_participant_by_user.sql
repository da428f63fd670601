-- Every read of thread_participant names the user (a user's threads, one thread of a user's), so the
-- table is keyed by user first and its second index, (user_id, thread_id), goes: each participant a
-- send or the world's generator writes updates one index instead of two (issue 22: sends). Rebuilt
-- rather than altered, since the primary key's name differs between H2 and PostgreSQL.
CREATE TABLE thread_participant_by_user (
    user_id   BIGINT NOT NULL,
    thread_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
INSERT INTO thread_participant_by_user (user_id, thread_id)
    SELECT user_id, thread_id FROM thread_participant;
DROP TABLE thread_participant;
ALTER TABLE thread_participant_by_user RENAME TO thread_participant;
