-- +goose Up
-- The reason lists (R7). They are data: add, relabel or deactivate rows
-- without a release. "Other" needs a message.
INSERT INTO reasons (kind, code, label, requires_message, position) VALUES
    ('INVITATION_DECLINE', 'NOT_INTERESTED', 'Not interested in the work', false, 1),
    ('INVITATION_DECLINE', 'TOO_BUSY', 'Too busy with other projects', false, 2),
    ('INVITATION_DECLINE', 'BUDGET_TOO_LOW', 'The budget is too low', false, 3),
    ('INVITATION_DECLINE', 'SKILLS_MISMATCH', 'The job does not fit my skills', false, 4),
    ('INVITATION_DECLINE', 'UNCLEAR_REQUIREMENTS', 'The requirements are unclear', false, 5),
    ('INVITATION_DECLINE', 'CLIENT_HISTORY', 'I prefer clients with a hiring history', false, 6),
    ('INVITATION_DECLINE', 'OTHER', 'Other', true, 99),
    ('PROPOSAL_WITHDRAWAL', 'MISTAKE', 'I applied by mistake', false, 1),
    ('PROPOSAL_WITHDRAWAL', 'RATE_CHANGED', 'I need to change my rate or terms', false, 2),
    ('PROPOSAL_WITHDRAWAL', 'NO_LONGER_AVAILABLE', 'I am no longer available', false, 3),
    ('PROPOSAL_WITHDRAWAL', 'CLIENT_UNRESPONSIVE', 'The client is not responding', false, 4),
    ('PROPOSAL_WITHDRAWAL', 'OTHER', 'Other', true, 99),
    ('PROPOSAL_DECLINE', 'HIRED_SOMEONE_ELSE', 'I hired someone else', false, 1),
    ('PROPOSAL_DECLINE', 'SKILLS_MISMATCH', 'The skills do not match', false, 2),
    ('PROPOSAL_DECLINE', 'TOO_EXPENSIVE', 'The rate or bid is too high', false, 3),
    ('PROPOSAL_DECLINE', 'OTHER', 'Other', true, 99);

-- +goose Down
DELETE FROM reasons WHERE kind IN ('INVITATION_DECLINE', 'PROPOSAL_WITHDRAWAL', 'PROPOSAL_DECLINE');
