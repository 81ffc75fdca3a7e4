package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Accessibility checks with axe-core (Deque's rules engine, from npm:
// tools/a11y, installed by .ci/run with `npm ci --prefix tools/a11y`).
// Without it the checks skip, unless CI is set: then they fail.

// AxeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2, levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeViolation is one rule the page breaks, with the elements that break it.
type AxeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

func (v AxeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
}

// axeSource finds tools/a11y/node_modules/axe-core/axe.min.js above the
// working directory (a test runs in its package's directory).
func axeSource() ([]byte, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return os.ReadFile(filepath.Join(dir, "tools", "a11y", "node_modules", "axe-core", "axe.min.js"))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, os.ErrNotExist
		}
		dir = parent
	}
}

// Axe runs axe-core on the page as it is now (AxeTags) and returns what it
// finds. The script is injected through the DevTools protocol, which the
// pages' Content-Security-Policy does not govern; the pages themselves
// never load it.
func (b *Browser) Axe() []AxeViolation {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") != "" {
			b.t.Fatalf("testkit: axe-core is not installed (npm ci --prefix tools/a11y): %v", err)
		}
		b.t.Skipf("testkit: axe-core is not installed (npm ci --prefix tools/a11y): %v", err)
	}
	var ok bool
	b.Run("load axe-core", chromedp.Evaluate(string(src)+";typeof axe === 'object'", &ok))
	if !ok {
		b.t.Fatal("testkit: axe-core did not load")
	}
	tags := `["` + strings.Join(AxeTags, `","`) + `"]`
	var out []AxeViolation
	b.Run("axe.run", chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: `+tags+`}, resultTypes: ["violations"]})
	  .then(function (r) { return r.violations.map(function (v) {
	    return {id: v.id, impact: v.impact || "", help: v.help,
	      targets: v.nodes.map(function (n) { return n.target.join(" "); })}; }); })`, &out,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	return out
}
