package postgres

import (
	"database/sql"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/jmoiron/sqlx/reflectx"
)

// TestColumnTables checks each column table against what sqlx would do
// with the same type: every column the type's db tags name is in the
// table, and the table scans it into the field sqlx would scan it into.
func TestColumnTables(t *testing.T) {
	checkTable(t, invitationTable)
	checkTable(t, jobTable)
	checkTable(t, jobClientTable)
	checkTable(t, userTable)
	checkTable(t, invitationJobTable)
	checkTable(t, roomTable)
	checkTable(t, roomMemberTable)
	checkTable(t, messageTable)
	checkTable(t, tokenStateTable)
	if got, want := invitationCols, "id, job_id, freelancer_id, client_id, agency_id, origin, message, match_score, matched_skills, status, archived_at, seen_at, withdrawn_at, responded_at, decline_reason_id, decline_message, proposal_id, created_at, updated_at"; got != want {
		t.Errorf("invitationCols = %q, want %q", got, want)
	}
}

func checkTable[T any](t *testing.T, table *columnTable[T]) {
	t.Helper()
	m := reflectx.NewMapperFunc("db", sqlx.NameMapper)
	var r T
	v := reflect.ValueOf(&r).Elem()
	tm := m.TypeMap(v.Type())
	var tagged []string
	for name, fi := range tm.Names {
		if !isColumn(fi) {
			continue // a struct sqlx walks into
		}
		if i := strings.LastIndex(name, "."); i >= 0 && isColumn(tm.GetByPath(name[:i])) {
			continue // a field of a scanned struct (sql.NullInt64.Valid)
		}
		tagged = append(tagged, name)
	}
	slices.Sort(tagged)
	names := slices.Clone(table.names)
	slices.Sort(names)
	if !slices.Equal(tagged, names) {
		t.Errorf("%T: table has %s\nthe db tags name %s", r, strings.Join(names, ", "), strings.Join(tagged, ", "))
	}
	for i, name := range table.names {
		fi := tm.GetByPath(name)
		if fi == nil {
			continue // reported above
		}
		want := reflectx.FieldByIndexes(v, fi.Index).Addr().Interface()
		if got := table.addrs[i](&r); got != want {
			t.Errorf("%T: column %s scans into %T %p, sqlx into %T %p", r, name, got, got, want, want)
		}
	}
}

// isColumn: database/sql scans into the field whole (it is not a struct,
// or a time, or a sql.Scanner), rather than sqlx walking into its fields.
func isColumn(fi *reflectx.FieldInfo) bool {
	if fi == nil || fi.Embedded {
		return false
	}
	typ := fi.Field.Type
	return typ.Kind() != reflect.Struct || typ == reflect.TypeFor[time.Time]() ||
		reflect.PointerTo(typ).Implements(reflect.TypeFor[sql.Scanner]())
}
