package graph

// The generic connection builder and the cursors of the API's lists.

import (
	"context"
	"encoding/base64"
	"github.com/99designs/gqlgen/graphql"
	"strconv"
	"strings"
	"time"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/market"
)

// connection builds the edges and page info of a list: cursor encodes an
// item's position in the list, edge wraps the item with its cursor; info
// carries whether pages follow or precede this one.
func connection[T, E any](items []T, info model.PageInfo, cursor func(T) string, edge func(cursor string, node T) E) ([]E, *model.PageInfo) {
	edges := make([]E, len(items))
	for i, it := range items {
		c := cursor(it)
		edges[i] = edge(c, it)
		if i == 0 {
			info.StartCursor = &c
		}
		info.EndCursor = &c
	}
	return edges, &info
}

// Cursors are opaque: a list ordered by id encodes the id of the edge's node.

func cursorOf(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cursor:" + strconv.FormatInt(id, 10)))
}

// The notifications and invitations lists share their cursors with their
// streams (notificationReceived, invitationReceived): "cursor:<id>:<pos>",
// where id pages the list and pos is the item's point in the stream (a seq
// of the viewer's notification sequence). So a list's newest edge cursor is
// a valid `after` to subscribe from, and an event's cursor a valid `after`
// to page the list from.
func streamCursor(id, pos int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cursor:" + strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(pos, 10)))
}

// parseCursor decodes "cursor:<id>" or "cursor:<id>:<pos>" (pos -1 when
// absent).
func parseCursor(s string) (id, pos int64, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	rest, found := strings.CutPrefix(string(b), "cursor:")
	if err != nil || !found {
		return 0, 0, false
	}
	idPart, posPart, hasPos := strings.Cut(rest, ":")
	pos = -1
	if id, err = strconv.ParseInt(idPart, 10, 64); err != nil || id <= 0 {
		return 0, 0, false
	}
	if hasPos {
		if pos, err = strconv.ParseInt(posPart, 10, 64); err != nil || pos < 0 {
			return 0, 0, false
		}
	}
	return id, pos, true
}

// decodeStreamAfter decodes a subscription's `after`: nil (start live) when
// absent, else the stream position of a list edge or event cursor.
// Errors: VALIDATION_FAILED.
func decodeStreamAfter(field string, s *string) (*int64, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	_, pos, ok := parseCursor(*s)
	if !ok || pos < 0 {
		// Event cursors of earlier releases ("seq:<pos>"), which clients
		// may still hold to reconnect with.
		legacy, err := decodeSeqCursor(field, s)
		if err != nil {
			return nil, market.Invalid(field, "not a valid cursor: pass an edge cursor of the list or the cursor of an event")
		}
		pos = legacy
	}
	return &pos, nil
}

// pageRequest validates first/after. Errors: VALIDATION_FAILED.
func pageRequest(first *int, after *string) (market.PageRequest, error) {
	var afterID int64
	if after != nil && *after != "" {
		id, _, ok := parseCursor(*after)
		if !ok {
			return market.PageRequest{}, market.Invalid("after", "not a valid cursor")
		}
		afterID = id
	}
	return market.NewPageRequest(first, afterID)
}

// viewerPage is the start of most list queries: the signed-in viewer and
// the page asked for, with the total count only when the client selected
// totalCount (counting is a statement of its own). Errors:
// UNAUTHENTICATED, VALIDATION_FAILED.
func viewerPage(ctx context.Context, first *int, after *string) (int64, market.PageRequest, error) {
	v, err := viewer(ctx)
	if err != nil {
		return 0, market.PageRequest{}, err
	}
	p, err := pageRequest(first, after)
	p.Count = selected(ctx, "totalCount")
	return v, p, err
}

// selected reports whether the field being resolved selects a field named
// name (directly or through fragments).
func selected(ctx context.Context, name string) bool {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return true // outside an operation: no selection to go by, so everything
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Message cursors encode the message's seq; room cursors the room's list
// position (last activity and id).

func seqCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("seq:" + strconv.FormatInt(seq, 10)))
}

func decodeSeqCursor(field string, s *string) (int64, error) {
	if s == nil || *s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*s)
	rest, ok := strings.CutPrefix(string(b), "seq:")
	var seq int64
	if err == nil && ok {
		seq, err = strconv.ParseInt(rest, 10, 64)
	}
	if err != nil || !ok || seq <= 0 {
		return 0, market.Invalid(field, "not a valid cursor")
	}
	return seq, nil
}

func roomCursor(k market.RoomKey) string {
	return base64.RawURLEncoding.EncodeToString([]byte("room:" + strconv.FormatInt(k.ActiveAt.UnixMicro(), 10) + ":" + strconv.FormatInt(k.ID, 10)))
}

func decodeRoomCursor(field string, s *string) (*market.RoomKey, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	bad := market.Invalid(field, "not a valid cursor")
	b, err := base64.RawURLEncoding.DecodeString(*s)
	if err != nil {
		return nil, bad
	}
	rest, ok := strings.CutPrefix(string(b), "room:")
	at, id, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return nil, bad
	}
	micros, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return nil, bad
	}
	return &market.RoomKey{ActiveAt: time.UnixMicro(micros).UTC(), ID: n}, nil
}
