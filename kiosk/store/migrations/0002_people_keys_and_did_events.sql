-- Enrolled people, their wrapped keys and the key events of their DIDs.

-- A person is found only by HMAC(device secret, ID number); everything else about them is sealed.
CREATE TABLE person (
    ref          TEXT PRIMARY KEY,
    did          TEXT NOT NULL UNIQUE,
    sealed_card  BLOB NOT NULL,
    sealed_face  BLOB,
    enrolled_ms  INTEGER NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('self', 'assisted', 'proxy'))
) STRICT;

-- The villager's signing key, wrapped under scrypt(PIN) + device secret; the pre-committed next key,
-- sealed under the device secret alone and used only by a cadre-assisted recovery.
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

-- The DID's key event log: inception, then rotations, each naming the hash of the one before.
CREATE TABLE did_event (
    did    TEXT NOT NULL,
    n      INTEGER NOT NULL,
    event  BLOB NOT NULL,
    hash   TEXT NOT NULL,
    PRIMARY KEY (did, n)
) STRICT;
