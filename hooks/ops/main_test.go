package ops_test

import (
	"os"
	"testing"

	"simpul/hooks/testapp"
)

func TestMain(m *testing.M) { os.Exit(testapp.Run(m)) }
