-- The first schema: settings the kiosk keeps about itself, the outbox of signed transactions, and the
-- hash-chained audit log.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Signed transactions waiting for, or holding, the county's receipt. `seq` is the kiosk's own gap-free
-- counter and also part of the signed envelope; rows are never deleted before the county committed them.
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    type          TEXT    NOT NULL,
    priority      INTEGER NOT NULL,
    envelope      BLOB    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'published', 'committed', 'rejected')),
    created_ms    INTEGER NOT NULL,
    published_ms  INTEGER,
    committed_ms  INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    receipt       BLOB
) STRICT;

CREATE INDEX outbox_pending ON outbox (priority, seq) WHERE state IN ('queued', 'published');

-- Every security-relevant action. Each row's hash covers its fields and the previous row's hash.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    ts_ms     INTEGER NOT NULL,
    clock     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    detail    TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
) STRICT;

-- Append-only: the database itself refuses to change or remove an audit row.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
