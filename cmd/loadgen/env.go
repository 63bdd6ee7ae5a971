package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Env is what a scenario gets: where the server is and how hard to push.
type Env struct {
	Addr        string
	Metrics     string
	Duration    time.Duration
	N           int
	Concurrency int
	Clients     int
	Rate        float64
	Email       string
	Password    string
	// ClientEmail is the client the write scenarios and setups sign in as.
	ClientEmail string
	// Setup asks a scenario to create the data it needs first.
	Setup bool
	// PoolFirst is the number of the first generated freelancer the write
	// scenarios sign in as (freelancerNNNNNN@pool.hiregraph.test).
	PoolFirst int
	// Messages is how many messages room-messages' setup puts in its room.
	Messages int
	Out      io.Writer
	// The realtime scenarios: the server's database (to find users and
	// write events), its TOKEN_SECRET (to sign the users' tokens), and this
	// process's share of the clients ("i/n").
	DatabaseURL string
	// Writers is how many database connections write the realtime
	// scenarios' events (and the size of their pool).
	Writers     int
	TokenSecret string
	Shard       string
	Events      string
	Hold        time.Duration

	httpOnce sync.Once
	http     *http.Client
}

func (e *Env) checkLoopback() error {
	u, err := url.Parse(e.Addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %s: loadgen only sends traffic to this machine (127.0.0.0/8, ::1, localhost)", e.Addr)
}

// HTTP is a client with enough idle connections for every worker.
func (e *Env) HTTP() *http.Client {
	e.httpOnce.Do(func() {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConns = 4 * max(e.Concurrency, 1)
		tr.MaxIdleConnsPerHost = 4 * max(e.Concurrency, 1)
		e.http = &http.Client{Transport: tr, Timeout: 60 * time.Second}
	})
	return e.http
}

// QueryURL is the GraphQL endpoint.
func (e *Env) QueryURL() string { return strings.TrimRight(e.Addr, "/") + "/query" }

// GraphQLError is one entry of a response's errors.
type GraphQLError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// Do posts one operation and decodes data into out (when not nil). A
// response with errors is an error naming the first one's code.
func (e *Env) Do(ctx context.Context, token, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.QueryURL(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.HTTP().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []GraphQLError  `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("%v: %s", r.Errors[0].Extensions["code"], r.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

// Login signs in and returns a bearer token.
func (e *Env) Login(ctx context.Context, email, password string) (string, error) {
	var out struct {
		Login struct{ Token string } `json:"login"`
	}
	err := e.Do(ctx, "", `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": email, "p": password}, &out)
	return out.Login.Token, err
}

// Sample is a reading of the server's /metrics.
type Sample map[string]float64

// Scrape reads the server's counters (unlabelled samples, and labelled
// ones summed by metric name).
func (e *Env) Scrape(ctx context.Context) (Sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.Metrics, nil)
	if err != nil {
		return Sample{}, err
	}
	resp, err := e.HTTP().Do(req)
	if err != nil {
		return Sample{}, err
	}
	defer resp.Body.Close()
	s := Sample{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			continue
		}
		name := line[:sp]
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name = name[:i]
		}
		s[name] += v
	}
	return s, sc.Err()
}

// Sub is the change from an earlier sample (gauges keep their newer value
// under the same name; counters are differences).
func (s Sample) Sub(before Sample) Sample {
	d := Sample{}
	for k, v := range s {
		d[k] = v - before[k]
	}
	d["rss_after"] = s["process_resident_memory_bytes"]
	return d
}

// Recorder collects latencies and errors from many goroutines.
type Recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    atomic.Int64
	firstErr  atomic.Value
}

// Observe records one operation.
func (r *Recorder) Observe(d time.Duration, err error) {
	if err != nil {
		r.errors.Add(1)
		r.firstErr.CompareAndSwap(nil, err.Error())
		return
	}
	r.mu.Lock()
	r.latencies = append(r.latencies, d)
	r.mu.Unlock()
}

// Report builds the figures of a run that took elapsed.
func (r *Recorder) Report(elapsed time.Duration) *Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	lat := append([]time.Duration(nil), r.latencies...)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	rep := &Report{Ops: len(lat), Errors: int(r.errors.Load()), Elapsed: elapsed, Extra: map[string]string{}}
	if v, ok := r.firstErr.Load().(string); ok {
		rep.FirstError = v
	}
	if len(lat) > 0 {
		rep.P50 = lat[len(lat)*50/100]
		rep.P99 = lat[min(len(lat)*99/100, len(lat)-1)]
		rep.Max = lat[len(lat)-1]
	}
	return rep
}

// Hammer runs env.Concurrency workers calling op until env.Duration has
// passed or env.N operations were made, and reports what they measured.
func Hammer(ctx context.Context, env *Env, op func(ctx context.Context, worker int) error) *Report {
	ctx, cancel := context.WithTimeout(ctx, env.Duration)
	defer cancel()
	var rec Recorder
	var issued atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < max(env.Concurrency, 1); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil {
				if env.N > 0 && issued.Add(1) > int64(env.N) {
					return
				}
				t := time.Now()
				err := op(ctx, w)
				if ctx.Err() != nil {
					return // cut off by the deadline: not a server error
				}
				rec.Observe(time.Since(t), err)
			}
		}(w)
	}
	wg.Wait()
	return rec.Report(time.Since(start))
}

// Report is what a scenario measured.
type Report struct {
	Scenario   string
	Ops        int
	Errors     int
	FirstError string
	Elapsed    time.Duration
	P50, P99   time.Duration
	Max        time.Duration
	// Server is the change in the server's /metrics over the run.
	Server Sample
	// Extra holds scenario-specific figures, printed as they are.
	Extra map[string]string
}

// Print writes the figures, one per line.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "scenario      %s\n", r.Scenario)
	fmt.Fprintf(w, "operations    %d in %s (%.0f/s), errors %d\n", r.Ops, r.Elapsed.Round(time.Millisecond), float64(r.Ops)/r.Elapsed.Seconds(), r.Errors)
	if r.FirstError != "" {
		fmt.Fprintf(w, "first error   %s\n", r.FirstError)
	}
	fmt.Fprintf(w, "latency       p50 %s  p99 %s  max %s\n", r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
	if r.Ops > 0 && r.Server != nil {
		ops := float64(r.Ops)
		if cpu, ok := r.Server["process_cpu_seconds_total"]; ok {
			fmt.Fprintf(w, "server CPU    %.3f ms per operation (%.1f s in all)\n", cpu*1000/ops, cpu)
		}
		if n, ok := r.Server["hiregraph_db_statements_total"]; ok {
			fmt.Fprintf(w, "statements    %.2f per operation\n", n/ops)
		}
		if n, ok := r.Server["go_sql_max_idle_closed_total"]; ok {
			fmt.Fprintf(w, "pool closes   %.0f (max idle), %.0f (max lifetime)\n", n, r.Server["go_sql_max_lifetime_closed_total"])
		}
		if rss, ok := r.Server["rss_after"]; ok && rss > 0 {
			fmt.Fprintf(w, "server RSS    %.1f MiB at the end\n", rss/(1<<20))
		}
	}
	keys := make([]string, 0, len(r.Extra))
	for k := range r.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%-13s %s\n", k, r.Extra[k])
	}
}
