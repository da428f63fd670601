-- The change feed's poll reads one row per node (issue 22): each node records the number of the
-- last change it made once that change is committed, so the others query a node's changes only
-- when there are new ones, not twice per node every 100 ms (which grew with the square of the
-- nodes: 118 queries per poll per node at 60 nodes).
ALTER TABLE cluster_node ADD COLUMN head BIGINT DEFAULT 0 NOT NULL;
