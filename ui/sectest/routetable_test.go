package sectest

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"simpul/hooks/platform/routes"
	"simpul/ui/testkit"
)

// Every route the server binds beyond PocketBase's own comes from the
// route table (hooks/platform/routes), so `simpul routes` lists what is
// really served. A route bound on se.Router directly fails here.
func TestEveryRouteIsInTheTable(t *testing.T) {
	app := testkit.New(t)
	_, served := served(t, app)
	table := map[route]bool{}
	for _, r := range routes.List(app) {
		if table[route{r.Method, r.Path}] {
			t.Errorf("%s %s is in the table twice", r.Method, r.Path)
		}
		table[route{r.Method, r.Path}] = true
		if r.Who == "" {
			t.Errorf("%s %s does not say who may call it", r.Method, r.Path)
		}
	}
	bound := map[route]bool{}
	for _, r := range served {
		bound[r] = true
		if !table[r] {
			t.Errorf("%s %s is served but not in the route table: add it with routes.Add", r.Method, r.Path)
		}
	}
	for r := range table {
		if !bound[r] {
			t.Errorf("%s %s is in the table but not served", r.Method, r.Path)
		}
	}
}

// apiDocRow is a row of docs/api.md's "Every route" table:
// | `METHOD /path` | who may call it | what it is |
var apiDocRow = regexp.MustCompile("^\\| `([A-Z]+) ([^`]+)` \\| ([^|]+) \\|")

// docs/api.md's table "Every route" lists exactly the routes of the table,
// each with the same "who may call it" as `simpul routes` prints.
func TestAPIDocListsEveryRoute(t *testing.T) {
	app := testkit.New(t)
	f, err := os.Open("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc := map[route]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Every route"
			continue
		}
		if m := apiDocRow.FindStringSubmatch(line); in && m != nil {
			doc[route{m[1], m[2]}] = strings.TrimSpace(m[3])
		}
	}
	if len(doc) == 0 {
		t.Fatal(`docs/api.md has no "## Every route" table`)
	}
	var missing []string
	for _, r := range routes.List(app) {
		who, ok := doc[route{r.Method, r.Path}]
		switch {
		case !ok:
			missing = append(missing, "| `"+r.Method+" "+r.Path+"` | "+r.Who+" | … |")
		case who != r.Who:
			t.Errorf("docs/api.md: %s %s: who %q, the table says %q", r.Method, r.Path, who, r.Who)
		}
		delete(doc, route{r.Method, r.Path})
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("docs/api.md lacks a row: %s", m)
	}
	for r := range doc {
		t.Errorf("docs/api.md lists %s %s, which the binary does not serve", r.Method, r.Path)
	}
}
