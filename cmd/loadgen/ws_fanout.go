package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// The room fan-out: one room, -clients subscribed connections (the room's
// two members, alternately), then -n messages one after the other: for each,
// the time from sending it until the last subscriber has it.
const fanoutSubscription = `subscription Fanout($room: ID!, $after: String) {
  messageAdded(roomId: $room, after: $after) { cursor node { seq body sender { name } } }
}`

func init() {
	register(scenario{
		name: "room-fanout",
		help: "one room with -clients subscribed websockets (default 2000); -n messages (default 5): time until the last subscriber has each",
		run:  runFanout,
	})
}

func runFanout(ctx context.Context, env *Env) (*Report, error) {
	subscribers := env.Clients
	if subscribers <= 0 {
		subscribers = 2000
	}
	messages := env.N
	if messages <= 0 {
		messages = 5
	}
	client, err := env.Login(ctx, hiring.DemoClient, hiring.DemoPassword)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", hiring.DemoClient, err)
	}
	fr, err := env.Login(ctx, env.Email, env.Password)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", env.Email, err)
	}
	room, after, err := fanoutRoom(ctx, env, client, fr)
	if err != nil {
		return nil, err
	}

	// got[k] counts the subscribers that have message k; last[k] is when
	// the last of them got it.
	var mu sync.Mutex
	got := map[float64]int{}
	last := map[float64]time.Time{}
	var lat []time.Duration
	sentAt := map[float64]time.Time{}
	var errs atomic.Int64
	onNext := func(_ string, payload json.RawMessage) {
		now := time.Now()
		var p struct {
			Data struct {
				MessageAdded struct{ Node struct{ Seq float64 } }
			}
			Errors []GraphQLError
		}
		if json.Unmarshal(payload, &p) != nil || len(p.Errors) > 0 {
			errs.Add(1)
			return
		}
		seq := p.Data.MessageAdded.Node.Seq
		mu.Lock()
		got[seq]++
		if got[seq] == subscribers {
			last[seq] = now
		}
		if t, ok := sentAt[seq]; ok {
			lat = append(lat, now.Sub(t))
		}
		mu.Unlock()
	}
	before, err := env.Scrape(ctx)
	if err != nil {
		return nil, err
	}
	url := env.wsURL()
	clients, took, err := connectAll(ctx, env, subscribers, func(ctx context.Context, i int) (*wsClient, error) {
		tok := client
		if i%2 == 1 {
			tok = fr
		}
		c, err := dialWS(ctx, url, tok, onNext)
		if err != nil {
			return nil, err
		}
		return c, c.subscribe("m", fanoutSubscription, map[string]any{"room": room, "after": after})
	})
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, c := range clients {
			c.close()
		}
	}()
	if err := env.waitSubscriptions(ctx, before["hiregraph_subscriptions_active"]+float64(subscribers)); err != nil {
		return nil, err
	}
	fmt.Fprintf(env.Out, "room-fanout: %d subscribers connected in %s\n", subscribers, took.Round(time.Millisecond))
	time.Sleep(time.Second)

	var rec Recorder
	var afterAck []time.Duration // from the mutation's response to the last subscriber
	var mutation []time.Duration
	start := time.Now()
	mid, _ := env.Scrape(ctx)
	for k := range messages {
		var out struct {
			SendMessage struct{ Message struct{ Seq float64 } }
		}
		mu.Lock()
		t0 := time.Now()
		mu.Unlock()
		err := env.Do(ctx, fr, `mutation($r: ID!, $b: String!) { sendMessage(input: {roomId: $r, body: $b}) { message { seq } } }`,
			map[string]any{"r": room, "b": fmt.Sprintf("fan-out message %d", k)}, &out)
		if err != nil {
			rec.Observe(0, err)
			continue
		}
		acked := time.Now()
		mutation = append(mutation, acked.Sub(t0))
		seq := out.SendMessage.Message.Seq
		mu.Lock()
		sentAt[seq] = t0
		mu.Unlock()
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			done, at := got[seq] >= subscribers, last[seq]
			mu.Unlock()
			if done {
				rec.Observe(at.Sub(t0), nil)
				afterAck = append(afterAck, at.Sub(acked))
				break
			}
			if time.Now().After(deadline) {
				mu.Lock()
				n := got[seq]
				mu.Unlock()
				rec.Observe(0, fmt.Errorf("message %v reached %d of %d subscribers in 30s", seq, n, subscribers))
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond)
	}
	end, _ := env.Scrape(ctx)
	rep := rec.Report(time.Since(start))
	rep.Extra["measure"] = "latency = from sending sendMessage until the last subscriber has the message"
	sort.Slice(mutation, func(i, j int) bool { return mutation[i] < mutation[j] })
	sort.Slice(afterAck, func(i, j int) bool { return afterAck[i] < afterAck[j] })
	rep.Extra["of which"] = fmt.Sprintf("the mutation p50 %s; from its response to the last subscriber p50 %s max %s",
		percentile(mutation, 50).Round(10*time.Microsecond), percentile(afterAck, 50).Round(10*time.Microsecond),
		percentile(afterAck, 100).Round(10*time.Microsecond))
	mu.Lock()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	rep.Extra["per delivery"] = fmt.Sprintf("%d deliveries: p50 %s p99 %s (from sending the mutation)", len(lat),
		percentile(lat, 50).Round(10*time.Microsecond), percentile(lat, 99).Round(10*time.Microsecond))
	mu.Unlock()
	if d := end["hiregraph_events_delivered_total"] - mid["hiregraph_events_delivered_total"]; d > 0 {
		rep.Extra["delivered"] = fmt.Sprintf("%.0f events handed to subscribers", d)
		if st, ok := end["hiregraph_db_statements_total"]; ok {
			rep.Extra["statements"] = fmt.Sprintf("%.3f per delivered event (mutations included)", (st-mid["hiregraph_db_statements_total"])/d)
		}
	}
	closed, first := closedCount(clients)
	rep.Extra["connections"] = fmt.Sprintf("%d, %d closed (first: %v), %d error results", subscribers, closed, first, errs.Load())
	return rep, nil
}

// fanoutRoom finds the demo client's first room, or opens one (the demo
// freelancer accepts a pending invitation, the client messages the
// proposal); it returns the room and the cursor of its newest message.
func fanoutRoom(ctx context.Context, env *Env, client, fr string) (room, after string, err error) {
	var rooms struct {
		Rooms struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	if err := env.Do(ctx, client, `{ rooms(first: 1) { edges { node { id } } } }`, nil, &rooms); err != nil {
		return "", "", err
	}
	if len(rooms.Rooms.Edges) > 0 {
		room = rooms.Rooms.Edges[0].Node.ID
	} else {
		var invs struct {
			Invitations struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		if err := env.Do(ctx, fr, `{ invitations(first: 20, filter: {status: PENDING}) { edges { node { id } } } }`, nil, &invs); err != nil {
			return "", "", err
		}
		var acc struct {
			AcceptInvitation struct{ Proposal struct{ ID string } }
		}
		err := errors.New("the demo client has no room and the demo freelancer no pending invitation to open one with")
		for _, e := range invs.Invitations.Edges { // one that needs only a cover letter
			if err = env.Do(ctx, fr, `mutation($i: ID!) { acceptInvitation(input: {invitationId: $i, coverLetter: "Load test"}) { proposal { id } } }`,
				map[string]any{"i": e.Node.ID}, &acc); err == nil {
				break
			}
		}
		if err != nil {
			return "", "", err
		}
		var m struct {
			MessageProposal struct{ Room struct{ ID string } }
		}
		if err := env.Do(ctx, client, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Fan-out room"}) { room { id } } }`,
			map[string]any{"p": acc.AcceptInvitation.Proposal.ID}, &m); err != nil {
			return "", "", err
		}
		room = m.MessageProposal.Room.ID
	}
	var msgs struct {
		Node struct {
			Messages struct{ Edges []struct{ Cursor string } }
		}
	}
	if err := env.Do(ctx, client, `query($r: ID!) { node(id: $r) { ... on Room { messages(last: 1) { edges { cursor } } } } }`,
		map[string]any{"r": room}, &msgs); err != nil {
		return "", "", err
	}
	if e := msgs.Node.Messages.Edges; len(e) > 0 {
		after = e[0].Cursor
	}
	return room, after, nil
}
