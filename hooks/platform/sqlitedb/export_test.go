package sqlitedb

// Cached reports whether query is compiled in s's cache.
func (s *Stmts) Cached(query string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.stmts[query]
	return ok
}
