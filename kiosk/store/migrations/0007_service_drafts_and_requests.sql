-- Government service requests (kiosk/flows/service.py): the interrupted draft of each villager, and what was asked.

-- At most one draft per villager, sealed under the device secret (bound to its holder); a draft older than
-- services.draft_resume_s is wiped when it is next looked at.
CREATE TABLE service_draft (
    holder      TEXT    PRIMARY KEY REFERENCES person (did),
    sealed      BLOB    NOT NULL,
    started_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) STRICT;

-- One row per service.request queued here. The status history is the office's inbox deliveries (kind
-- service_status); no answer is kept here, only what the receipt and the list of requests show.
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

CREATE INDEX service_request_by_holder ON service_request (holder, created_ms);
