-- The demo's first start simulates ads delivery beside the running server. Several nodes may
-- start on one database: the node that claims the simulation runs it, the others leave it be;
-- a claim whose node stopped being seen is taken over by the next node that starts.
CREATE TABLE ad_simulation_claim (
    id         INTEGER PRIMARY KEY,
    node_id    VARCHAR(64) NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
