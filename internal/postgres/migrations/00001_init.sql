-- +goose Up
-- Users sign in with email and password. notification_seq is the per-user
-- counter that gives notifications a gap-free, commit-ordered sequence.
CREATE TABLE users (
    id               bigserial PRIMARY KEY,
    email            text NOT NULL,
    name             text NOT NULL,
    password_hash    text NOT NULL,
    notification_seq bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE freelancer_profiles (
    user_id           bigint PRIMARY KEY REFERENCES users(id),
    title             text NOT NULL DEFAULT '',
    overview          text NOT NULL DEFAULT '',
    skills            text[] NOT NULL DEFAULT '{}',
    hourly_rate_minor bigint,
    currency          text NOT NULL DEFAULT 'USD',
    availability      text NOT NULL DEFAULT 'AVAILABLE',
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX freelancer_profiles_skills_idx ON freelancer_profiles USING gin (skills);

CREATE TABLE agencies (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agency_members (
    agency_id  bigint NOT NULL REFERENCES agencies(id),
    user_id    bigint NOT NULL REFERENCES users(id),
    role       text NOT NULL CHECK (role IN ('OWNER', 'BUSINESS_MANAGER', 'MEMBER')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, user_id)
);
CREATE INDEX agency_members_user_idx ON agency_members (user_id);

CREATE TABLE jobs (
    id                 bigserial PRIMARY KEY,
    client_id          bigint NOT NULL REFERENCES users(id),
    title              text NOT NULL,
    description        text NOT NULL,
    skills             text[] NOT NULL DEFAULT '{}',
    contract_type      text NOT NULL CHECK (contract_type IN ('HOURLY', 'FIXED')),
    hourly_min_minor   bigint,
    hourly_max_minor   bigint,
    budget_minor       bigint,
    currency           text NOT NULL DEFAULT 'USD',
    connects_required  integer NOT NULL CHECK (connects_required >= 0),
    interview_mode     text NOT NULL CHECK (interview_mode IN ('COVER_LETTER', 'INSTANT_INTERVIEW')),
    featured           boolean NOT NULL DEFAULT false,
    status             text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
    close_result       text CHECK (close_result IN ('HIRED', 'NO_HIRE', 'CANCELLED', 'EXPIRED')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_activity_at   timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    CHECK ((status = 'OPEN') = (close_result IS NULL)),
    CHECK (contract_type <> 'HOURLY' OR (hourly_min_minor > 0 AND hourly_max_minor >= hourly_min_minor)),
    CHECK (contract_type <> 'FIXED' OR budget_minor > 0)
);
CREATE INDEX jobs_client_idx ON jobs (client_id, id DESC);
CREATE INDEX jobs_open_activity_idx ON jobs (last_activity_at) WHERE status = 'OPEN';

CREATE TABLE job_questions (
    id       bigserial PRIMARY KEY,
    job_id   bigint NOT NULL REFERENCES jobs(id),
    position integer NOT NULL,
    text     text NOT NULL,
    UNIQUE (job_id, position)
);

-- Reasons are data, not an enum: the list can change without a release.
CREATE TABLE reasons (
    id               bigserial PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('INVITATION_DECLINE', 'PROPOSAL_WITHDRAWAL', 'PROPOSAL_DECLINE')),
    code             text NOT NULL,
    label            text NOT NULL,
    requires_message boolean NOT NULL DEFAULT false,
    position         integer NOT NULL,
    active           boolean NOT NULL DEFAULT true,
    UNIQUE (kind, code)
);

-- A freelancer who blocked a client: that client cannot invite them again.
CREATE TABLE client_blocks (
    freelancer_id bigint NOT NULL REFERENCES users(id),
    client_id     bigint NOT NULL REFERENCES users(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (freelancer_id, client_id)
);

CREATE TABLE proposals (
    id                   bigserial PRIMARY KEY,
    job_id               bigint NOT NULL REFERENCES jobs(id),
    freelancer_id        bigint NOT NULL REFERENCES users(id),
    agency_id            bigint REFERENCES agencies(id),
    submitted_by         bigint NOT NULL REFERENCES users(id),
    invitation_id        bigint,
    cover_letter         text NOT NULL DEFAULT '',
    hourly_rate_minor    bigint,
    fixed_price_minor    bigint,
    currency             text NOT NULL DEFAULT 'USD',
    estimated_duration   text,
    message_to_client    text NOT NULL DEFAULT '',
    status               text NOT NULL DEFAULT 'SUBMITTED'
                         CHECK (status IN ('SUBMITTED', 'ACTIVE', 'OFFERED', 'HIRED', 'WITHDRAWN', 'DECLINED', 'ARCHIVED')),
    connects_spent       integer NOT NULL DEFAULT 0,
    client_viewed_at     timestamptz,
    status_reason_id     bigint REFERENCES reasons(id),
    status_message       text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK ((hourly_rate_minor IS NULL) <> (fixed_price_minor IS NULL)),
    UNIQUE (job_id, freelancer_id)
);
CREATE INDEX proposals_freelancer_idx ON proposals (freelancer_id, id DESC);
CREATE INDEX proposals_job_idx ON proposals (job_id, id DESC);
CREATE INDEX proposals_agency_idx ON proposals (agency_id, id DESC) WHERE agency_id IS NOT NULL;

CREATE TABLE proposal_answers (
    proposal_id bigint NOT NULL REFERENCES proposals(id),
    question_id bigint NOT NULL REFERENCES job_questions(id),
    answer      text NOT NULL,
    PRIMARY KEY (proposal_id, question_id)
);

CREATE TABLE proposal_attachments (
    id           bigserial PRIMARY KEY,
    proposal_id  bigint NOT NULL REFERENCES proposals(id),
    position     integer NOT NULL,
    name         text NOT NULL,
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    url          text NOT NULL
);
CREATE INDEX proposal_attachments_proposal_idx ON proposal_attachments (proposal_id, position);

CREATE TABLE invitations (
    id                bigserial PRIMARY KEY,
    job_id            bigint NOT NULL REFERENCES jobs(id),
    freelancer_id     bigint NOT NULL REFERENCES users(id),
    client_id         bigint NOT NULL REFERENCES users(id),
    agency_id         bigint REFERENCES agencies(id),
    origin            text NOT NULL CHECK (origin IN ('DIRECT', 'AUTOMATIC')),
    message           text NOT NULL DEFAULT '',
    match_score       double precision,
    matched_skills    text[] NOT NULL DEFAULT '{}',
    status            text NOT NULL DEFAULT 'PENDING'
                      CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED')),
    archived_at       timestamptz,
    seen_at           timestamptz,
    withdrawn_at      timestamptz,
    responded_at      timestamptz,
    decline_reason_id bigint REFERENCES reasons(id),
    decline_message   text NOT NULL DEFAULT '',
    proposal_id       bigint REFERENCES proposals(id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, freelancer_id)
);
CREATE INDEX invitations_freelancer_idx ON invitations (freelancer_id, id DESC);
CREATE INDEX invitations_job_idx ON invitations (job_id, id DESC);
ALTER TABLE proposals ADD FOREIGN KEY (invitation_id) REFERENCES invitations(id);

-- Connects: an append-only ledger; a balance is the sum of its owner's rows.
-- Exactly one owner: a freelancer (user) or an agency.
CREATE TABLE connects_ledger (
    id          bigserial PRIMARY KEY,
    user_id     bigint REFERENCES users(id),
    agency_id   bigint REFERENCES agencies(id),
    kind        text NOT NULL CHECK (kind IN ('GRANT', 'PURCHASE', 'APPLICATION', 'REFUND')),
    amount      integer NOT NULL CHECK (amount <> 0),
    proposal_id bigint REFERENCES proposals(id),
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((user_id IS NULL) <> (agency_id IS NULL))
);
CREATE INDEX connects_ledger_user_idx ON connects_ledger (user_id, id DESC) WHERE user_id IS NOT NULL;
CREATE INDEX connects_ledger_agency_idx ON connects_ledger (agency_id, id DESC) WHERE agency_id IS NOT NULL;
-- A proposal is charged once and refunded at most once.
CREATE UNIQUE INDEX connects_ledger_once_idx ON connects_ledger (proposal_id, kind) WHERE proposal_id IS NOT NULL;
CREATE RULE connects_ledger_no_update AS ON UPDATE TO connects_ledger DO INSTEAD NOTHING;
CREATE RULE connects_ledger_no_delete AS ON DELETE TO connects_ledger DO INSTEAD NOTHING;

-- The bell. seq is per user, assigned under the user's row lock.
CREATE TABLE notifications (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users(id),
    seq          bigint NOT NULL,
    kind         text NOT NULL,
    subject_type text NOT NULL,
    subject_id   bigint NOT NULL,
    actor_id     bigint REFERENCES users(id),
    title        text NOT NULL,
    read_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, seq)
);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE notifications, connects_ledger, invitations, proposal_attachments, proposal_answers,
    proposals, client_blocks, reasons, job_questions, jobs, agency_members, agencies,
    freelancer_profiles, users CASCADE;
