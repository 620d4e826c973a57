-- Loan applications (kiosk/flows/loan.py): the interrupted draft of each villager, and what was applied for.

-- At most one draft per villager, sealed under the device secret (bound to its holder); a draft older than
-- loans.draft_resume_s is wiped when it is next looked at.
CREATE TABLE loan_draft (
    holder      TEXT    PRIMARY KEY REFERENCES person (did),
    sealed      BLOB    NOT NULL,
    started_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) STRICT;

-- One row per loan.apply queued here. The status history is the bank's inbox deliveries (kind loan_status);
-- `withdraw_tx` is set when the villager withdrew it (loan.withdraw).
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

CREATE INDEX loan_application_by_holder ON loan_application (holder, created_ms);
