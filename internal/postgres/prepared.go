package postgres

import (
	"context"
	"database/sql"
	"sync"
)

// preparedSet keeps the hot read path's statements prepared, by their text:
// the token check, which every request runs, the invitations page, a room
// with its members and its page of messages, users by id.
// PostgreSQL then plans each once per connection (and settles on a generic
// plan), instead of parsing and planning it on every execution as an
// unnamed statement, which cost more than running it; and the driver
// neither sends the text nor decodes the result's description again.
// database/sql prepares a statement on each pooled connection the first
// time it runs there, and again after a reconnect.
//
// Only statements whose text is the same for every caller go through it
// (values are bound, never written into the text), so the set of texts is
// small and fixed by the code; maxStatements bounds it anyway: a text past
// the bound runs unprepared. Statements in a transaction run unprepared.
type preparedSet struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// maxStatements is how many texts stay prepared.
const maxStatements = 256

func newPreparedSet(db *sql.DB) *preparedSet {
	return &preparedSet{db: db, m: map[string]*sql.Stmt{}}
}

// get returns the statement prepared for query, preparing it the first
// time; nil when the bound is reached (the caller runs the text as is).
func (s *preparedSet) get(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.RLock()
	st, ok := s.m[query]
	full := len(s.m) >= maxStatements
	s.mu.RUnlock()
	if ok || full {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if had, ok := s.m[query]; ok { // prepared meanwhile by another request
		st.Close()
		return had, nil
	}
	if len(s.m) >= maxStatements {
		st.Close()
		return nil, nil
	}
	s.m[query] = st
	return st, nil
}

// len is how many texts are prepared.
func (s *preparedSet) len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.m)
}

// query runs a statement of the hot read path: prepared on the pool, as
// is in a transaction.
func (c *Conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if c.stmts != nil {
		st, err := c.stmts.get(ctx, query)
		if err != nil {
			return nil, err
		}
		if st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return c.q.QueryContext(ctx, query, args...)
}
