package export

// SetMaxSheetRows makes Excel's row limit n for a test; restore puts it
// back.
func SetMaxSheetRows(n int) (restore func()) {
	old := maxSheetRows
	maxSheetRows = n
	return func() { maxSheetRows = old }
}
