-- +goose Up
-- Full-text search (R29): freelancers search open jobs, clients search
-- freelancer profiles. Each row keeps its document as a stored tsvector
-- (title first, then skills, then the long text), indexed with GIN; searches
-- rank with ts_rank. array_to_string is only STABLE, so an IMMUTABLE wrapper
-- lets the skills take part in a generated column.
CREATE FUNCTION hiregraph_skills_text(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN array_to_string($1, ' ');

ALTER TABLE jobs ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', hiregraph_skills_text(skills)), 'B') ||
    setweight(to_tsvector('english', description), 'C')) STORED;
-- Only open jobs are searched. Like the skills index (00004), the text
-- indexes take new entries straight in rather than into GIN's pending list,
-- which every search would otherwise scan until the next vacuum.
CREATE INDEX jobs_search_idx ON jobs USING gin (search) WITH (fastupdate = off) WHERE status = 'OPEN';
CREATE INDEX jobs_open_skills_idx ON jobs USING gin (skills) WHERE status = 'OPEN';

ALTER TABLE freelancer_profiles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', hiregraph_skills_text(skills)), 'B') ||
    setweight(to_tsvector('english', overview), 'C')) STORED;
CREATE INDEX freelancer_profiles_search_idx ON freelancer_profiles USING gin (search) WITH (fastupdate = off);

-- +goose Down
DROP INDEX freelancer_profiles_search_idx;
ALTER TABLE freelancer_profiles DROP COLUMN search;
DROP INDEX jobs_open_skills_idx;
DROP INDEX jobs_search_idx;
ALTER TABLE jobs DROP COLUMN search;
DROP FUNCTION hiregraph_skills_text(text[]);
