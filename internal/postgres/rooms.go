package postgres

import (
	"context"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

const roomCols = `id, proposal_id, client_id, last_seq, created_at`

// RoomsByID loads rooms by id.
func (c *Conn) RoomsByID(ctx context.Context, ids []int64) ([]*market.Room, error) {
	var rs []*market.Room
	err := c.sel(ctx, &rs, `SELECT `+roomCols+` FROM rooms WHERE id = ANY($1)`, pq.Array(ids))
	return rs, err
}
