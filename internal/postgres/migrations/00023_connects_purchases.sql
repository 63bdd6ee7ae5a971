-- +goose Up
-- Connects bought in packages (R28). No payment provider is integrated: this
-- row is the charge, recorded with the buyer's idempotency key, and points at
-- the PURCHASE ledger entry it added. A key is the buyer's: the same key twice
-- buys once.
CREATE TABLE connects_purchases (
    id              bigserial PRIMARY KEY,
    buyer_id        bigint NOT NULL REFERENCES users(id),
    user_id         bigint REFERENCES users(id),
    agency_id       bigint REFERENCES agencies(id),
    connects        integer NOT NULL CHECK (connects > 0),
    price_minor     bigint NOT NULL CHECK (price_minor > 0),
    currency        text NOT NULL DEFAULT 'USD',
    idempotency_key text NOT NULL,
    ledger_entry_id bigint NOT NULL UNIQUE REFERENCES connects_ledger(id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((user_id IS NULL) <> (agency_id IS NULL)),
    UNIQUE (buyer_id, idempotency_key)
);

-- +goose Down
DROP TABLE connects_purchases;
