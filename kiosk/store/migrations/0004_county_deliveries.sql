-- What the county sends down, kept by the sync daemon and read by the UI and lxt-diag (kiosk/store/deliveries.py).

-- The newest accepted version of each signed broadcast (config, catalog, trust list, status list, …).
CREATE TABLE broadcast (
    kind        TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    payload     TEXT    NOT NULL,   -- canonical JSON
    received_ms INTEGER NOT NULL
) STRICT;

-- Deliveries to this kiosk (credential offers, application results, …), each stored once by its id.
CREATE TABLE inbox (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,   -- canonical JSON
    received_ms INTEGER NOT NULL,
    handled_ms  INTEGER
) STRICT;

-- Signed commands from the county: the highest cmd_seq accepted, and every command's outcome.
CREATE TABLE command (
    id          TEXT    PRIMARY KEY,
    cmd_seq     INTEGER NOT NULL,
    op          TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('done', 'refused', 'failed')),
    result      TEXT    NOT NULL,   -- canonical JSON, no personal data
    received_ms INTEGER NOT NULL
) STRICT;

-- Small kiosk-wide state set by commands: `locked` (with the county's reason), the remote settings overlay.
CREATE TABLE kiosk_state (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    changed_ms  INTEGER NOT NULL
) STRICT;
