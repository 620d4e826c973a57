-- The schema after every migration, as SQLite stores it. Generated; a test checks it stays true:
-- after changing a migration, regenerate with `python -m kiosk.store.schema > kiosk/store/schema.sql`.

CREATE TABLE attestation_given (
    credential_id TEXT    PRIMARY KEY,
    attester      TEXT    NOT NULL REFERENCES person (did),
    subject       TEXT    NOT NULL,
    issued_ms     INTEGER NOT NULL,
    expires_s     INTEGER NOT NULL
) STRICT;

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

CREATE TABLE broadcast (
    kind        TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    payload     TEXT    NOT NULL,   -- canonical JSON
    received_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE command (
    id          TEXT    PRIMARY KEY,
    cmd_seq     INTEGER NOT NULL,
    op          TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('done', 'refused', 'failed')),
    result      TEXT    NOT NULL,   -- canonical JSON, no personal data
    received_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE credential (
    id           TEXT    PRIMARY KEY,            -- hex SHA-256 of the issuer-signed JWT: one row per credential
    holder       TEXT    NOT NULL REFERENCES person (did),
    vct          TEXT    NOT NULL,
    issuer       TEXT    NOT NULL,               -- the credential's iss
    issuer_name  TEXT    NOT NULL,               -- as the trust list named it when it was received
    status_uri   TEXT,
    status_idx   INTEGER,
    issued_s     INTEGER NOT NULL,
    expires_s    INTEGER,
    received_ms  INTEGER NOT NULL,
    source       TEXT    NOT NULL CHECK (source IN ('qr', 'inbox', 'peer', 'self')),
    sealed       BLOB    NOT NULL
) STRICT;

CREATE TABLE did_event (
    did    TEXT NOT NULL,
    n      INTEGER NOT NULL,
    event  BLOB NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (did, n)
) STRICT;

CREATE TABLE inbox (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,   -- canonical JSON
    received_ms INTEGER NOT NULL,
    handled_ms  INTEGER
) STRICT;

CREATE TABLE kiosk_state (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    changed_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE loan_application (
    number       TEXT    PRIMARY KEY,            -- the application number shown on the receipt
    holder       TEXT    NOT NULL REFERENCES person (did),
    tx_id        TEXT    NOT NULL UNIQUE,
    bank         TEXT    NOT NULL,
    bank_name    TEXT    NOT NULL,
    product      TEXT    NOT NULL,
    product_name TEXT    NOT NULL,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    term_months  INTEGER NOT NULL CHECK (term_months > 0),
    created_ms   INTEGER NOT NULL,
    withdraw_tx  TEXT,
    withdrawn_ms INTEGER
) STRICT;

CREATE TABLE loan_draft (
    holder      TEXT    PRIMARY KEY REFERENCES person (did),
    sealed      BLOB    NOT NULL,
    started_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

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

CREATE TABLE person (
    ref          TEXT PRIMARY KEY,
    did          TEXT NOT NULL UNIQUE,
    sealed_card  BLOB NOT NULL,
    sealed_face  BLOB,
    enrolled_ms  INTEGER NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('self', 'assisted', 'proxy'))
) STRICT;

CREATE TABLE service_draft (
    holder      TEXT    PRIMARY KEY REFERENCES person (did),
    sealed      BLOB    NOT NULL,
    started_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE service_request (
    number       TEXT    PRIMARY KEY,            -- the request number shown on the receipt
    holder       TEXT    NOT NULL REFERENCES person (did),
    tx_id        TEXT    NOT NULL UNIQUE,
    office       TEXT    NOT NULL,
    office_name  TEXT    NOT NULL,
    service      TEXT    NOT NULL,
    service_name TEXT    NOT NULL,
    created_ms   INTEGER NOT NULL
) STRICT;

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

CREATE TABLE villager_key (
    did             TEXT PRIMARY KEY REFERENCES person (did),
    version         INTEGER NOT NULL,
    suite           TEXT NOT NULL,
    public_key      BLOB NOT NULL,
    wrapped         BLOB NOT NULL,
    sealed_next     BLOB NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_ms       INTEGER
) STRICT;

CREATE INDEX attestation_given_by_attester ON attestation_given (attester, expires_s);

CREATE INDEX credential_by_holder ON credential (holder, vct);

CREATE INDEX loan_application_by_holder ON loan_application (holder, created_ms);

CREATE INDEX outbox_pending ON outbox (priority, seq) WHERE state IN ('queued', 'published');

CREATE INDEX service_request_by_holder ON service_request (holder, created_ms);

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

