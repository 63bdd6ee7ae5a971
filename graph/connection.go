package graph

// The generic connection builder and the cursors of the API's lists.

import (
	"context"
	"encoding/base64"
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

// pageRequest validates first/after. Errors: VALIDATION_FAILED.
func pageRequest(first *int, after *string) (market.PageRequest, error) {
	var afterID int64
	if after != nil && *after != "" {
		b, err := base64.RawURLEncoding.DecodeString(*after)
		rest, ok := strings.CutPrefix(string(b), "cursor:")
		if err == nil && ok {
			afterID, err = strconv.ParseInt(rest, 10, 64)
		}
		if err != nil || !ok || afterID <= 0 {
			return market.PageRequest{}, market.Invalid("after", "not a valid cursor")
		}
	}
	return market.NewPageRequest(first, afterID)
}

// viewerPage is the start of most list queries: the signed-in viewer and
// the page asked for. Errors: UNAUTHENTICATED, VALIDATION_FAILED.
func viewerPage(ctx context.Context, first *int, after *string) (int64, market.PageRequest, error) {
	v, err := viewer(ctx)
	if err != nil {
		return 0, market.PageRequest{}, err
	}
	p, err := pageRequest(first, after)
	return v, p, err
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
