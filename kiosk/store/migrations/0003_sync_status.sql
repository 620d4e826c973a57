-- The state of the link to the county, one row, written by the sync daemon and read by the UI and lxt-diag
-- (they never import the sync code: the database is the only thing they share).

CREATE TABLE sync_status (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    online        INTEGER NOT NULL DEFAULT 0,
    session       INTEGER NOT NULL DEFAULT 0,
    broker        TEXT    NOT NULL DEFAULT '',
    connected_ms  INTEGER,
    last_ack_ms   INTEGER,
    last_error    TEXT,
    rtt_ms        INTEGER,
    updated_ms    INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO sync_status (id) VALUES (1);
