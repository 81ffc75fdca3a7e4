package sqlitedb

/*
// SQLite's own memory counters (sqlite3.h), from the library that
// mattn/go-sqlite3 compiles in.
long long sqlite3_memory_used(void);
long long sqlite3_memory_highwater(int resetFlag);
*/
import "C"

// MemoryUsed is the memory SQLite holds now, in bytes: C memory (page
// caches, sorters, parsed schemas), which GOMEMLIMIT does not see.
func MemoryUsed() int64 { return int64(C.sqlite3_memory_used()) }

// MemoryHighwater is the most memory SQLite has held at once since the
// last reset, in bytes; reset starts a new period from what it holds now.
func MemoryHighwater(reset bool) int64 {
	r := C.int(0)
	if reset {
		r = 1
	}
	return int64(C.sqlite3_memory_highwater(r))
}
