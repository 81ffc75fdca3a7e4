package cases_test

import (
	"os"
	"testing"

	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }
