-- The index from a subject's pseudonym to the ledger entries about them moved out of the database,
-- into a file beside the log (data/ledger/index/subjects.idx, org.datapact.ledger.subject.SubjectIndex):
-- it is derived from the log, and its rows, one per partner call, were the largest cost of the
-- partner API under load (garbage-collector pauses of 10 ms; docs/benchmarks.md). The file is
-- rebuilt from the log on the first start after this migration.
DROP TABLE ledger_subject_entry;
