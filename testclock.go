//go:build simpul_testclock

package main

import (
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/platform/clock"
)

// The process tests (tree_process_test.go) build the binary with this file
// so that a tree of real processes can share one fake clock, the only edge
// they fake: SIMPUL_TEST_CLOCK_FILE names a file holding an RFC 3339 time;
// the app's clock (hooks/platform/clock) reads that time plus what passed
// since the file was written, so a test moves every process a week on by
// rewriting the file. Release builds have no such variable.
func init() {
	testClock = func(app core.App) {
		path := os.Getenv("SIMPUL_TEST_CLOCK_FILE")
		if path == "" {
			return
		}
		var mu sync.Mutex
		var mod time.Time
		var base time.Time
		clock.Set(app, func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			fi, err := os.Stat(path)
			if err != nil {
				panic("testclock: " + err.Error())
			}
			if !fi.ModTime().Equal(mod) {
				raw, err := os.ReadFile(path)
				if err != nil {
					panic("testclock: " + err.Error())
				}
				t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(raw)))
				if err != nil {
					panic("testclock: " + err.Error())
				}
				mod, base = fi.ModTime(), t
			}
			return base.Add(time.Since(mod))
		})
	}
}
