package main

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/natsbus/natstest"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// Issue 15: many instances with EVENTS=nats. NATS runs inside the test
// process (a real server with JetStream, not a mock); the server processes
// are the real binary.

// natsEnv configures a server process for EVENTS=nats on ns. Mutations are
// not rate-limited: these tests write as fast as they can.
func natsEnv(dsn string, ns *natstest.Server, prefix string) []string {
	return append(sharedEnv(dsn), "EVENTS=nats", "NATS_URL="+ns.URL(), "NATS_PREFIX="+prefix, "MUTATION_RATE=0")
}

// metric sums the samples of one metric on a server's /metrics.
func metric(t *testing.T, port int, name string) float64 {
	t.Helper()
	res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+" ") && !strings.HasPrefix(line, name+"{") {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		sum += v
	}
	return sum
}

// newRoom has the client post a job and invite the freelancer, the
// freelancer accept and the client message the proposal: a new room whose
// message 1 is "Hi there".
func newRoom(t *testing.T, port int, client, fr string) string {
	t.Helper()
	frID := str(path(gql(t, port, fr, `{ viewer { user { id } } }`), "viewer", "user", "id"))
	job := gqlVars(t, port, client, `mutation { postJob(input: {title: "Realtime across instances", description: "Events through NATS", contractType: FIXED, budget: {amount: "500"}, connectsRequired: 0}) { job { id } } }`, nil)
	inv := gqlVars(t, port, client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, message: "Join us"}) { invitation { id } } }`,
		map[string]any{"j": path(job, "postJob", "job", "id"), "f": frID})
	return openRoom(t, port, port, client, fr, str(path(inv, "inviteFreelancer", "invitation", "id")))
}

// lastMessageCursor is the cursor of a room's newest message: subscribing
// with it as `after` delivers exactly the messages that come after it.
func lastMessageCursor(t *testing.T, port int, token, room string) string {
	t.Helper()
	d := gqlVars(t, port, token, `query($r: ID!) { room(id: $r) { messages(last: 1) { edges { cursor } } } }`, map[string]any{"r": room})
	edges := path(d, "room", "messages", "edges").([]any)
	return str(path(edges[0], "cursor"))
}

// waitReady polls /readyz until it answers status.
func waitReady(t *testing.T, port, status int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == status {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz did not become %d", status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// subscriber follows a room's messages on one instance and checks that they
// arrive in order, once each.
type subscriber struct {
	c    *wstest.Client
	next int // the seq it expects next
}

func subscribeRoom(t *testing.T, name string, port int, proto, token, room, after string) *subscriber {
	t.Helper()
	c := dial(t, name, port, proto, token).Ack()
	c.Subscribe("m", subMessages, map[string]any{"room": room, "after": after})
	return &subscriber{c: c}
}

// until reads messages until seq last has arrived; each must be the next.
func (s *subscriber) until(t *testing.T, last int) {
	t.Helper()
	for s.next <= last {
		seq, body := messageSeq(t, s.c.Result(wait))
		if seq != s.next {
			t.Fatalf("%s: expected seq %d, got %d (%q)", s.c.Name(), s.next, seq, body)
		}
		s.next++
	}
}

// TestThreeInstancesShareEventsOverNATS: issue 15, acceptance 1. Three
// server processes on one database with EVENTS=nats; a subscriber on each,
// over each protocol, receives exactly the messages written through any of
// them, in order.
func TestThreeInstancesShareEventsOverNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ns := natstest.Start(t)
	_, dsn := postgrestest.New(t)
	bin := buildServer(t)
	env := natsEnv(dsn, ns, "three")
	ports := []int{freePort(t), freePort(t), freePort(t)}
	for _, p := range ports {
		start(t, bin, p, env) // the first loads the demo data
	}
	fr := login(t, ports[0], demoFreelancer)
	client := login(t, ports[1], demoClient)
	room := newRoom(t, ports[0], client, fr)
	after := lastMessageCursor(t, ports[2], fr, room) // message 1, "Hi there"

	var subs []*subscriber
	for i, p := range ports {
		for j, proto := range wstest.Protocols {
			token := []string{client, fr}[(i+j)%2]
			s := subscribeRoom(t, fmt.Sprintf("instance %d (%s)", i, proto), p, proto, token, room, after)
			s.next = 2
			subs = append(subs, s)
		}
	}
	const n = 30
	for i := range n {
		token := []string{client, fr}[i%2]
		d := gqlVars(t, ports[i%3], token, sendMessage, map[string]any{"r": room, "b": fmt.Sprintf("message %d through instance %d", i, i%3)})
		if seq := path(d, "sendMessage", "message", "seq"); seq != float64(i+2) {
			t.Fatalf("message %d stored as seq %v", i, seq)
		}
	}
	for _, s := range subs {
		s.until(t, n+1)
		s.c.Quiet(200 * time.Millisecond) // and nothing twice after the last
	}
}

// TestNATSNoLossUnderFaults: issue 15, acceptance 2. While messages flow,
// the relay's instance is killed with SIGKILL, and later NATS is stopped
// for ten seconds and started again; every subscriber ends with every
// acknowledged message exactly once, in order.
func TestNATSNoLossUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ns := natstest.Start(t)
	_, dsn := postgrestest.New(t)
	bin := buildServer(t)
	env := natsEnv(dsn, ns, "faults")
	ports := []int{freePort(t), freePort(t), freePort(t)}
	procs := make([]*process, 3)
	for i, p := range ports {
		procs[i] = start(t, bin, p, env)
	}
	// The relay's instance: the one holding the lease (wait for the election).
	relay := -1
	for deadline := time.Now().Add(wait); relay < 0; {
		for i, p := range ports {
			if metric(t, p, "hiregraph_events_relay_leader") == 1 {
				relay = i
			}
		}
		if relay < 0 && time.Now().After(deadline) {
			t.Fatal("no instance became the relay")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var alive []int
	for i := range ports {
		if i != relay {
			alive = append(alive, ports[i])
		}
	}
	fr := login(t, alive[0], demoFreelancer)
	client := login(t, alive[1], demoClient)
	room := newRoom(t, alive[0], client, fr)
	after := lastMessageCursor(t, alive[0], fr, room)
	var subs []*subscriber
	for i, p := range alive {
		for _, proto := range wstest.Protocols {
			s := subscribeRoom(t, fmt.Sprintf("instance %d (%s)", i, proto), p, proto, []string{client, fr}[i], room, after)
			s.next = 2
			subs = append(subs, s)
		}
	}

	// The writer sends through the surviving instances until told to stop.
	var (
		mu    sync.Mutex
		acked int // the highest seq acknowledged
	)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		hc := &http.Client{Timeout: 2 * wait}
		for i := 0; i < 50000; i++ { // bounded: the test stops it long before
			select {
			case <-stop:
				return
			default:
			}
			d, err := post(hc, alive[i%2], []string{client, fr}[i%2], sendMessage, map[string]any{"r": room, "b": fmt.Sprintf("message %d", i)})
			if err != nil {
				t.Errorf("send %d: %v", i, err)
				return
			}
			mu.Lock()
			acked = int(path(d, "sendMessage", "message", "seq").(float64))
			mu.Unlock()
		}
	}()
	progress := func(more int) { // wait until every subscriber is `more` past what was acked
		mu.Lock()
		target := acked + more
		mu.Unlock()
		for _, s := range subs {
			s.until(t, target)
		}
	}
	progress(10)

	// Kill the relay's instance.
	if err := procs[relay].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = procs[relay].wait(t)
	progress(20) // another instance took the relay over

	// NATS goes away for ten seconds, and comes back.
	ns.Stop()
	outage := time.Now()
	waitReady(t, alive[0], http.StatusServiceUnavailable) // /readyz covers NATS
	time.Sleep(10*time.Second - time.Since(outage))
	ns.Restart()
	waitReady(t, alive[0], http.StatusOK)
	progress(20)

	close(stop)
	<-done
	mu.Lock()
	last := acked
	mu.Unlock()
	for _, s := range subs {
		s.until(t, last)
		s.c.Quiet(200 * time.Millisecond)
	}
	t.Logf("%d messages, each delivered once and in order to %d subscribers", last-1, len(subs))
}

// TestNATSRoutesEventsToTheInstancesThatNeedThem: issue 15, acceptance 3.
// Three instances, each with clients following a different room: with
// EVENTS=nats each instance receives only its clients' events (at most 40 %
// of all events published); with EVENTS=postgres every instance hears all.
func TestNATSRoutesEventsToTheInstancesThatNeedThem(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, transport := range []string{"nats", "postgres"} {
		t.Run(transport, func(t *testing.T) {
			ns := natstest.Start(t)
			_, dsn := postgrestest.New(t)
			bin := buildServer(t)
			env := natsEnv(dsn, ns, "routing")
			if transport == "postgres" {
				env = append(sharedEnv(dsn), "MUTATION_RATE=0")
			}
			ports := []int{freePort(t), freePort(t), freePort(t)}
			for _, p := range ports {
				start(t, bin, p, env)
			}
			fr := login(t, ports[0], demoFreelancer)
			client := login(t, ports[0], demoClient)
			rooms := make([]string, 3)
			subs := make([]*subscriber, 3)
			for i := range 3 {
				rooms[i] = newRoom(t, ports[0], client, fr)
				subs[i] = subscribeRoom(t, fmt.Sprintf("room %d on instance %d", i, i), ports[i], wstest.TransportWS, fr, rooms[i], lastMessageCursor(t, ports[i], fr, rooms[i]))
				subs[i].next = 2
			}
			before := make([]float64, 3)
			published := 0.0
			for i, p := range ports {
				before[i] = metric(t, p, "hiregraph_events_received_total")
				published -= metric(t, p, "hiregraph_events_published_total")
			}
			const n = 20
			for k := range n {
				for i := range 3 {
					gqlVars(t, ports[(i+k)%3], client, sendMessage, map[string]any{"r": rooms[i], "b": fmt.Sprintf("message %d", k)})
				}
			}
			for _, s := range subs {
				s.until(t, n+1)
			}
			for _, p := range ports {
				published += metric(t, p, "hiregraph_events_published_total")
			}
			for i, p := range ports {
				got := metric(t, p, "hiregraph_events_received_total") - before[i]
				share := got / published
				t.Logf("%s: instance %d received %.0f of %.0f events published (%.0f %%)", transport, i, got, published, 100*share)
				switch transport {
				case "nats":
					if share > 0.40 {
						t.Errorf("instance %d received %.0f %% of the events; want at most 40 %%", i, 100*share)
					}
				case "postgres":
					// Every event reaches every instance (NOTIFY); the last
					// ones may still be on their way to the others.
					if share < 0.95 {
						t.Errorf("instance %d received %.0f %% of the events; with NOTIFY every instance hears them all", i, 100*share)
					}
				}
			}
		})
	}
}
