-- +goose Up
-- The event outbox, for EVENTS=nats: a change writes its events here in its
-- own transaction, so an event exists exactly when the change committed; the
-- relay (one at a time across instances, under an advisory lock) publishes
-- them to NATS JetStream in id order and deletes what JetStream acknowledged.
-- A row is visible to the relay only once its transaction commits, and the
-- events of one topic are written under that topic's row lock (a room's, a
-- user's), so id order is commit order within a topic.
CREATE TABLE event_outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    kind       text        NOT NULL,
    entity_id  bigint      NOT NULL,
    seq        bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- +goose Down
DROP TABLE event_outbox;
