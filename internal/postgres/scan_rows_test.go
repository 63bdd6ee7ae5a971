package postgres_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
)

// TestSelectRows: the hot read path's rows scanned through a column table
// (scan.go) come back whole, and a column the table cannot place is an
// error naming it, as with sqlx, not a silently dropped value.
func TestSelectRows(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client := e.MustCreateClient()
	job := e.MustCreateJob(client) // read back by sqlx (RETURNING)
	got, err := c.JobsByID(e.Ctx, []int64{job.ID})
	if err != nil || len(got) != 1 {
		t.Fatalf("JobsByID = %v, %v", got, err)
	}
	if !reflect.DeepEqual(got[0], job) {
		t.Errorf("JobsByID = %+v\nwant %+v", got[0], job)
	}

	n, err := c.SelectJobRows(e.Ctx, `SELECT 1::bigint AS id, 'x' AS surprise`)
	if err == nil || !strings.Contains(err.Error(), "surprise") {
		t.Errorf("an unknown column: %d rows, err %v, want an error naming it", n, err)
	}
	if n, err := c.SelectJobRows(e.Ctx, `SELECT id, title FROM jobs WHERE id = $1`, job.ID); n != 1 || err != nil {
		t.Errorf("some of the columns: %d rows, %v", n, err)
	}
}
