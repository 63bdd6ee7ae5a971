-- +goose Up
-- Message rooms: one per proposal, created when the client first responds (R13).
-- last_seq is the room's message counter, advanced under the room's row lock
-- so that sequence numbers are gap-free and commit-ordered (R15).
CREATE TABLE rooms (
    id          bigserial PRIMARY KEY,
    proposal_id bigint NOT NULL UNIQUE REFERENCES proposals(id),
    client_id   bigint NOT NULL REFERENCES users(id),
    last_seq    bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE room_members (
    room_id       bigint NOT NULL REFERENCES rooms(id),
    user_id       bigint NOT NULL REFERENCES users(id),
    role          text NOT NULL CHECK (role IN ('CLIENT', 'FREELANCER', 'BUSINESS_MANAGER', 'AGENCY_OWNER')),
    last_read_seq bigint NOT NULL DEFAULT 0,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user_idx ON room_members (user_id, room_id DESC);

CREATE TABLE messages (
    id                bigserial PRIMARY KEY,
    room_id           bigint NOT NULL REFERENCES rooms(id),
    seq               bigint NOT NULL,
    sender_id         bigint NOT NULL REFERENCES users(id),
    body              text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    client_message_id text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (room_id, seq)
);
-- A message sent twice with the same client-generated id is stored once.
CREATE UNIQUE INDEX messages_client_id_key ON messages (room_id, sender_id, client_message_id) WHERE client_message_id IS NOT NULL;

CREATE TABLE offers (
    id                 bigserial PRIMARY KEY,
    proposal_id        bigint NOT NULL REFERENCES proposals(id),
    client_id          bigint NOT NULL REFERENCES users(id),
    hourly_rate_minor  bigint,
    weekly_limit_hours integer CHECK (weekly_limit_hours > 0),
    fixed_price_minor  bigint,
    currency           text NOT NULL DEFAULT 'USD',
    estimated_duration text,
    message            text NOT NULL DEFAULT '',
    status             text NOT NULL DEFAULT 'PENDING'
                       CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED')),
    decline_message    text NOT NULL DEFAULT '',
    responded_by       bigint REFERENCES users(id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    responded_at       timestamptz,
    CHECK ((hourly_rate_minor IS NULL) <> (fixed_price_minor IS NULL))
);
CREATE INDEX offers_proposal_idx ON offers (proposal_id, id DESC);
-- At most one pending offer per proposal.
CREATE UNIQUE INDEX offers_one_pending_idx ON offers (proposal_id) WHERE status = 'PENDING';

CREATE TABLE contracts (
    id                 bigserial PRIMARY KEY,
    offer_id           bigint NOT NULL UNIQUE REFERENCES offers(id),
    proposal_id        bigint NOT NULL UNIQUE REFERENCES proposals(id),
    job_id             bigint NOT NULL REFERENCES jobs(id),
    client_id          bigint NOT NULL REFERENCES users(id),
    freelancer_id      bigint NOT NULL REFERENCES users(id),
    agency_id          bigint REFERENCES agencies(id),
    contract_type      text NOT NULL CHECK (contract_type IN ('HOURLY', 'FIXED')),
    hourly_rate_minor  bigint,
    weekly_limit_hours integer,
    fixed_price_minor  bigint,
    currency           text NOT NULL DEFAULT 'USD',
    status             text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ENDED')),
    started_at         timestamptz NOT NULL DEFAULT now(),
    ended_at           timestamptz
);
CREATE INDEX contracts_client_idx ON contracts (client_id, id DESC);
CREATE INDEX contracts_freelancer_idx ON contracts (freelancer_id, id DESC);
CREATE INDEX contracts_parties_idx ON contracts (client_id, freelancer_id);

CREATE TABLE bonuses (
    id           bigserial PRIMARY KEY,
    contract_id  bigint NOT NULL REFERENCES contracts(id),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency     text NOT NULL DEFAULT 'USD',
    note         text NOT NULL DEFAULT '',
    paid_by      bigint NOT NULL REFERENCES users(id),
    paid_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bonuses_contract_idx ON bonuses (contract_id, id);

CREATE TABLE time_entries (
    id          bigserial PRIMARY KEY,
    contract_id bigint NOT NULL REFERENCES contracts(id),
    user_id     bigint NOT NULL REFERENCES users(id),
    minutes     integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    memo        text NOT NULL DEFAULT '',
    kind        text NOT NULL CHECK (kind IN ('TRACKED', 'MANUAL')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX time_entries_contract_idx ON time_entries (contract_id, id DESC);

-- The bell's feed pages newest first per user.
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);

-- +goose Down
DROP INDEX notifications_user_idx;
DROP TABLE time_entries, bonuses, contracts, offers, messages, room_members, rooms;
