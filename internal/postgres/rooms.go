package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// roomColumns are a room's columns, in the order of roomCols.
var roomColumns = []column[market.Room]{
	col("id", func(r *market.Room) any { return &r.ID }),
	col("proposal_id", func(r *market.Room) any { return &r.ProposalID }),
	col("client_id", func(r *market.Room) any { return &r.ClientID }),
	col("last_seq", func(r *market.Room) any { return &r.LastSeq }),
	col("created_at", func(r *market.Room) any { return &r.CreatedAt }),
}

var (
	roomCols  = names(roomColumns)
	roomTable = newColumnTable(roomColumns)
)

// RoomsByID loads rooms by id.
func (c *Conn) RoomsByID(ctx context.Context, ids []int64) ([]*market.Room, error) {
	var rs []*market.Room
	err := c.sel(ctx, &rs, `SELECT `+roomCols+` FROM rooms WHERE id = ANY($1)`, pq.Array(ids))
	return rs, err
}

// Room loads a room, locking its row when forUpdate in a transaction: the
// lock serializes the sends to one room (R15). Errors: NOT_FOUND.
func (c *Conn) Room(ctx context.Context, id int64, forUpdate bool) (*market.Room, error) {
	r, err := selectOne(ctx, c, roomTable, `SELECT `+roomCols+` FROM rooms WHERE id = $1`+c.lock(forUpdate), id)
	if err != nil {
		return nil, notFound(err, "room")
	}
	return r, nil
}

// RoomOfProposal loads the room of a proposal, locking its row when
// forUpdate in a transaction. Errors: NOT_FOUND when the proposal has none.
func (c *Conn) RoomOfProposal(ctx context.Context, proposalID int64, forUpdate bool) (*market.Room, error) {
	var r market.Room
	if err := c.get(ctx, &r, `SELECT `+roomCols+` FROM rooms WHERE proposal_id = $1`+c.lock(forUpdate), proposalID); err != nil {
		return nil, notFound(err, "room")
	}
	return &r, nil
}

// RoomsByProposalID loads the rooms of proposals (proposals without a room
// are absent).
func (c *Conn) RoomsByProposalID(ctx context.Context, proposalIDs []int64) ([]*market.Room, error) {
	var rs []*market.Room
	err := c.sel(ctx, &rs, `SELECT `+roomCols+` FROM rooms WHERE proposal_id = ANY($1)`, pq.Array(proposalIDs))
	return rs, err
}

// CreateRoom inserts the room of a proposal with its members (R13, R14).
// Errors: CONFLICT when the proposal already has a room (callers hold the
// proposal's row lock, so this does not happen).
func (c *Conn) CreateRoom(ctx context.Context, proposalID, clientID int64, members []market.RoomMember, now time.Time) (*market.Room, error) {
	var r market.Room
	err := c.get(ctx, &r, `INSERT INTO rooms (proposal_id, client_id, created_at) VALUES ($1, $2, $3) RETURNING `+roomCols,
		proposalID, clientID, now)
	if isUniqueViolation(err, "rooms_proposal_id_key") {
		return nil, market.Errorf(market.CodeConflict, "the proposal already has a message room")
	}
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(members))
	roles := make([]string, len(members))
	for i, m := range members {
		ids[i], roles[i] = m.UserID, string(m.Role)
	}
	_, err = c.exec(ctx, `INSERT INTO room_members (room_id, user_id, role, joined_at)
		SELECT $1, u, r, $4 FROM unnest($2::bigint[], $3::text[]) AS t(u, r)`, r.ID, pq.Array(ids), pq.Array(roles), now)
	return &r, err
}

// roomMemberColumns are a membership's columns, in the order of
// roomMemberCols.
var roomMemberColumns = []column[market.RoomMember]{
	col("room_id", func(m *market.RoomMember) any { return &m.RoomID }),
	col("user_id", func(m *market.RoomMember) any { return &m.UserID }),
	col("role", func(m *market.RoomMember) any { return &m.Role }),
	col("last_read_seq", func(m *market.RoomMember) any { return &m.LastReadSeq }),
	col("joined_at", func(m *market.RoomMember) any { return &m.JoinedAt }),
}

var (
	roomMemberCols  = names(roomMemberColumns)
	roomMemberTable = newColumnTable(roomMemberColumns)
)

// MembersOfRooms loads the members of rooms, each room's in joining order
// (client first).
func (c *Conn) MembersOfRooms(ctx context.Context, roomIDs []int64) ([]*market.RoomMember, error) {
	var ms []*market.RoomMember
	err := c.selPrepared(ctx, &ms, `SELECT `+roomMemberCols+` FROM room_members WHERE room_id = ANY($1)
		ORDER BY room_id, CASE role WHEN 'CLIENT' THEN 0 WHEN 'FREELANCER' THEN 1 ELSE 2 END, user_id`, pq.Array(roomIDs))
	return ms, err
}

// AdvanceRoomRead moves a member's read position to seq, never backwards.
func (c *Conn) AdvanceRoomRead(ctx context.Context, roomID, userID, seq int64) error {
	_, err := c.exec(ctx, `UPDATE room_members SET last_read_seq = greatest(last_read_seq, $3) WHERE room_id = $1 AND user_id = $2`,
		roomID, userID, seq)
	return err
}

// messageColumns are a message's columns, in the order of messageCols.
var messageColumns = []column[market.Message]{
	col("id", func(m *market.Message) any { return &m.ID }),
	col("room_id", func(m *market.Message) any { return &m.RoomID }),
	col("seq", func(m *market.Message) any { return &m.Seq }),
	col("sender_id", func(m *market.Message) any { return &m.SenderID }),
	col("body", func(m *market.Message) any { return &m.Body }),
	col("client_message_id", func(m *market.Message) any { return &m.ClientMessageID }),
	col("created_at", func(m *market.Message) any { return &m.CreatedAt }),
}

var (
	messageCols  = names(messageColumns)
	messageTable = newColumnTable(messageColumns)
)

// MessageByClientID finds the message a sender already sent to a room with a
// client-generated id. Errors: NOT_FOUND.
func (c *Conn) MessageByClientID(ctx context.Context, roomID, senderID int64, clientMessageID string) (*market.Message, error) {
	var m market.Message
	err := c.get(ctx, &m, `SELECT `+messageCols+` FROM messages WHERE room_id = $1 AND sender_id = $2 AND client_message_id = $3`,
		roomID, senderID, clientMessageID)
	if err != nil {
		return nil, notFound(err, "message")
	}
	return &m, nil
}

// AppendMessage adds a message to a room with the room's next sequence
// number. Callers hold the room's row lock (the UPDATE takes it anyway), so
// sequence numbers are gap-free and commit-ordered (R15). Errors: CONFLICT
// when the sender already used clientMessageID in the room.
func (c *Conn) AppendMessage(ctx context.Context, roomID, senderID int64, body string, clientMessageID *string, now time.Time) (*market.Message, error) {
	var m market.Message
	err := c.get(ctx, &m, `WITH s AS (
			UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq
		)
		INSERT INTO messages (room_id, seq, sender_id, body, client_message_id, created_at)
		SELECT $1, s.last_seq, $2, $3, $4, $5 FROM s
		RETURNING `+messageCols, roomID, senderID, body, clientMessageID, now)
	if isUniqueViolation(err, "messages_client_id_key") {
		return nil, market.Errorf(market.CodeConflict, "a message with this clientMessageId was already sent")
	}
	if err != nil {
		return nil, notFound(err, "room")
	}
	return &m, nil
}

// LastMessagesOfRooms loads the newest message of each room (rooms without
// messages are absent). Sequence numbers are gap-free, so it is the one
// numbered last_seq.
func (c *Conn) LastMessagesOfRooms(ctx context.Context, roomIDs []int64) ([]*market.Message, error) {
	var ms []*market.Message
	err := c.sel(ctx, &ms, `SELECT m.id, m.room_id, m.seq, m.sender_id, m.body, m.client_message_id, m.created_at
		FROM rooms r JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq WHERE r.id = ANY($1)`, pq.Array(roomIDs))
	return ms, err
}

// ListMessages returns up to p.Limit+1 messages of a room with seq <= maxSeq
// inside the request's bounds, in ascending seq order: the oldest ones going
// forwards, the newest ones going backwards.
func (c *Conn) ListMessages(ctx context.Context, roomID int64, p market.MessagePageRequest, maxSeq int64) ([]*market.Message, error) {
	upper := maxSeq
	if p.BeforeSeq > 0 {
		upper = min(upper, p.BeforeSeq-1)
	}
	order := "ASC"
	if p.Backward {
		order = "DESC"
	}
	var ms []*market.Message
	err := c.selPrepared(ctx, &ms, `SELECT * FROM (
			SELECT `+messageCols+` FROM messages WHERE room_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq `+order+` LIMIT $4
		) page ORDER BY seq`, roomID, p.AfterSeq, upper, p.Limit+1)
	return ms, err
}

// RoomsWithContract returns those of the rooms whose client and proposal
// freelancer have a contract (any, active or ended): in them contact details
// may be shared (R17).
func (c *Conn) RoomsWithContract(ctx context.Context, roomIDs []int64) ([]int64, error) {
	var ids []int64
	err := c.sel(ctx, &ids, `SELECT r.id FROM rooms r JOIN proposals p ON p.id = r.proposal_id
		WHERE r.id = ANY($1) AND EXISTS (
			SELECT 1 FROM contracts k WHERE k.client_id = r.client_id AND k.freelancer_id = p.freelancer_id)`, pq.Array(roomIDs))
	return ids, err
}

// ActivateProposal writes the ACTIVE status a proposal takes when its room
// opens (R13).
func (c *Conn) ActivateProposal(ctx context.Context, p *market.Proposal) error {
	_, err := c.exec(ctx, `UPDATE proposals SET status = $2, updated_at = $3 WHERE id = $1`, p.ID, p.Status, p.UpdatedAt)
	return err
}

type roomListRow struct {
	market.Room
	ActiveAt time.Time `db:"active_at"`
}

// RoomsOfMember returns a page of the rooms a user is a member of, most
// recently active first (the time of the last message, else of the room's
// creation; ties by id, newest first), Limit+1 rows, and how many there are.
func (c *Conn) RoomsOfMember(ctx context.Context, userID int64, p market.RoomPageRequest) ([]market.RoomListItem, int, error) {
	var total int
	if err := c.get(ctx, &total, `SELECT count(*) FROM room_members WHERE user_id = $1`, userID); err != nil {
		return nil, 0, err
	}
	var afterAt sql.NullTime
	var afterID int64
	if p.After != nil {
		afterAt, afterID = sql.NullTime{Time: p.After.ActiveAt, Valid: true}, p.After.ID
	}
	var rows []*roomListRow
	err := c.sel(ctx, &rows, `SELECT * FROM (
			SELECT r.id, r.proposal_id, r.client_id, r.last_seq, r.created_at, coalesce(m.created_at, r.created_at) AS active_at
			FROM room_members rm
			JOIN rooms r ON r.id = rm.room_id
			LEFT JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq
			WHERE rm.user_id = $1
		) x
		WHERE $2::timestamptz IS NULL OR (active_at, id) < ($2::timestamptz, $3::bigint)
		ORDER BY active_at DESC, id DESC LIMIT $4`, userID, afterAt, afterID, p.Limit+1)
	if err != nil {
		return nil, 0, err
	}
	out := make([]market.RoomListItem, len(rows))
	for i := range rows {
		room := rows[i].Room
		out[i] = market.RoomListItem{Room: &room, Key: market.RoomKey{ActiveAt: rows[i].ActiveAt, ID: room.ID}}
	}
	return out, total, nil
}
