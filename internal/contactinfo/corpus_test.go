package contactinfo

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDir holds the labelled corpus (see its README.md for the format).
var corpusDir = filepath.Join("..", "..", "testdata", "contactinfo")

// The bar of the corpus test: the share of must-refuse texts found, and the
// share of must-pass texts wrongly refused.
const (
	minRecall         = 0.99
	maxFalsePositives = 0.01
	minCorpusTexts    = 400
)

type corpusText struct {
	family, text string
	line         int
}

// readCorpus reads one corpus file: "## family" lines start a family,
// blank lines and "# " comments are skipped, every other line is a text.
func readCorpus(t testing.TB, name string) []corpusText {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusText
	family := "(none)"
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "", line == "#", strings.HasPrefix(line, "# "):
		case strings.HasPrefix(line, "## "):
			family = strings.TrimSpace(line[3:])
		default:
			out = append(out, corpusText{family: family, text: line, line: n})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tally counts, per family, the texts and those the detector got wrong.
type tally struct {
	order       []string
	total, miss map[string]int
}

func newTally() *tally { return &tally{total: map[string]int{}, miss: map[string]int{}} }

func (t *tally) add(family string, wrong bool) {
	if _, ok := t.total[family]; !ok {
		t.order = append(t.order, family)
	}
	t.total[family]++
	if wrong {
		t.miss[family]++
	}
}

func (t *tally) sum() (total, miss int) {
	for _, f := range t.order {
		total += t.total[f]
		miss += t.miss[f]
	}
	return
}

func (t *tally) report(tb testing.TB, what string) {
	fams := append([]string(nil), t.order...)
	sort.Strings(fams)
	for _, f := range fams {
		tb.Logf("  %-40s %4d texts, %3d %s", f, t.total[f], t.miss[f], what)
	}
}

// TestCorpus is the acceptance test of the detector: over the labelled
// corpus, recall (must-refuse texts in which something is found) must be at
// least 99 % and false positives (must-pass texts in which something is
// found) at most 1 %. Both figures are printed, per family and in total.
func TestCorpus(t *testing.T) {
	refuse := readCorpus(t, "must-refuse.txt")
	pass := readCorpus(t, "must-pass.txt")
	if len(refuse) < minCorpusTexts || len(pass) < minCorpusTexts {
		t.Fatalf("corpus too small: %d must-refuse and %d must-pass texts, want at least %d of each", len(refuse), len(pass), minCorpusTexts)
	}
	seen := map[string]string{}
	for _, c := range append(append([]corpusText(nil), refuse...), pass...) {
		if prev, dup := seen[c.text]; dup {
			t.Errorf("text %q appears twice (%s and %s)", c.text, prev, c.family)
		}
		seen[c.text] = c.family
	}

	recall := newTally()
	var missed []string
	for _, c := range refuse {
		found := Find(c.text)
		recall.add(c.family, len(found) == 0)
		if len(found) == 0 {
			missed = append(missed, fmt.Sprintf("must-refuse.txt:%d [%s] %q: nothing found", c.line, c.family, c.text))
		}
	}
	fp := newTally()
	var refused []string
	for _, c := range pass {
		found := Find(c.text)
		fp.add(c.family, len(found) > 0)
		if len(found) > 0 {
			refused = append(refused, fmt.Sprintf("must-pass.txt:%d [%s] %q: found %s", c.line, c.family, c.text, Describe(found)))
		}
	}
	rt, rm := recall.sum()
	pt, pm := fp.sum()
	r := float64(rt-rm) / float64(rt)
	f := float64(pm) / float64(pt)
	t.Logf("recall: %d of %d must-refuse texts refused = %.2f %% (bar %.0f %%)", rt-rm, rt, 100*r, 100*minRecall)
	recall.report(t, "missed")
	t.Logf("false positives: %d of %d must-pass texts refused = %.2f %% (bar %.0f %%)", pm, pt, 100*f, 100*maxFalsePositives)
	fp.report(t, "refused")
	for _, m := range missed {
		t.Log("missed: " + m)
	}
	for _, m := range refused {
		t.Log("refused: " + m)
	}
	if r < minRecall {
		t.Errorf("recall %.2f %% is below %.0f %%", 100*r, 100*minRecall)
	}
	if f > maxFalsePositives {
		t.Errorf("false positives %.2f %% are above %.0f %%", 100*f, 100*maxFalsePositives)
	}
}

// BenchmarkCorpus measures the detector over the whole corpus; ns/op is
// per text (b.N counts texts, cycling through the corpus).
func BenchmarkCorpus(b *testing.B) {
	texts := append(readCorpus(b, "must-refuse.txt"), readCorpus(b, "must-pass.txt")...)
	var bytes int64
	for _, c := range texts {
		bytes += int64(len(c.text))
	}
	b.SetBytes(bytes / int64(len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Find(texts[i%len(texts)].text)
	}
}

// TestCorpusHoldout prints the figures over the held-out texts
// (holdout-*.txt), written after the detector was tuned to the main
// corpus, to show how it does on texts it was not tuned for. It reports
// and does not fail: the bar is TestCorpus's.
func TestCorpusHoldout(t *testing.T) {
	refuse := readCorpus(t, "holdout-refuse.txt")
	pass := readCorpus(t, "holdout-pass.txt")
	found := 0
	for _, c := range refuse {
		if len(Find(c.text)) > 0 {
			found++
		} else {
			t.Logf("missed: holdout-refuse.txt:%d %q", c.line, c.text)
		}
	}
	wrong := 0
	for _, c := range pass {
		if fs := Find(c.text); len(fs) > 0 {
			wrong++
			t.Logf("refused: holdout-pass.txt:%d %q: found %s", c.line, c.text, Describe(fs))
		}
	}
	t.Logf("held out: recall %d of %d = %.1f %%, false positives %d of %d = %.1f %%",
		found, len(refuse), 100*float64(found)/float64(len(refuse)), wrong, len(pass), 100*float64(wrong)/float64(len(pass)))
}
