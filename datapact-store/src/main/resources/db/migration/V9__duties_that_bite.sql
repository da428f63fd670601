-- Report duties that bite (issue 19): a report's period may be a month (2026-10), a quarter
-- (2026-Q3) or a year (2026), so the column no longer pads; and the demo world's history of
-- filings is written before the ledger holds it (committed at start, like generated consents), so
-- a row may wait for its ledger index.
ALTER TABLE duty_report ALTER COLUMN period SET DATA TYPE VARCHAR(7);
ALTER TABLE duty_report ALTER COLUMN ledger_index DROP NOT NULL;
