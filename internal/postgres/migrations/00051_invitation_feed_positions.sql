-- +goose Up
-- An invitation list's edge cursors carry the position of the invitation in
-- the invitee's invitation stream (the seq of its INVITATION_RECEIVED
-- notification, see postgres.InvitationFeedPositions): read it with an
-- index-only scan of the user's invitation notifications.
CREATE INDEX notifications_invitation_idx ON notifications (user_id, subject_id) INCLUDE (seq)
    WHERE kind = 'INVITATION_RECEIVED';

-- +goose Down
DROP INDEX notifications_invitation_idx;
