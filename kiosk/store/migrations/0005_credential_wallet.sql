-- The villager's wallet of verifiable credentials (kiosk/credentials/wallet.py) and the peer attestations
-- each villager gave (for the cap on how many one may give).

-- One row per credential held. The SD-JWT itself is sealed under the device secret, bound to this row's id
-- and holder; only what the wallet lists and checks without opening it stays in the clear.
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

CREATE INDEX credential_by_holder ON credential (holder, vct);

-- Peer attestations (互证) a villager of this kiosk issued to another: counted against the cap while unexpired.
CREATE TABLE attestation_given (
    credential_id TEXT    PRIMARY KEY,
    attester      TEXT    NOT NULL REFERENCES person (did),
    subject       TEXT    NOT NULL,
    issued_ms     INTEGER NOT NULL,
    expires_s     INTEGER NOT NULL
) STRICT;

CREATE INDEX attestation_given_by_attester ON attestation_given (attester, expires_s);
