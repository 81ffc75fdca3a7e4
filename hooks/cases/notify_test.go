package cases_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"simpul/hooks/cases"
)

// A failed notice is logged without the reporter's address or number and
// without the webhook's URL (it may carry the provider's key).
func TestNoticeFailuresAreLoggedWithoutPersonalData(t *testing.T) {
	_, webhookErr := http.Get("http://127.0.0.1:1/kirim?api_key=RAHASIA-PENYEDIA&to=081234567890")
	if webhookErr == nil {
		t.Skip("something listens on port 1")
	}
	for _, tc := range []struct {
		err       error
		keep      string
		forbidden []string
	}{
		{errors.New("550 5.1.1 <siti.aminah@contoh.id>: Recipient address rejected: User unknown"),
			"Recipient address rejected", []string{"siti.aminah", "contoh.id"}},
		{errors.New("smtp: RCPT TO:siti@contoh.id failed"), "RCPT TO", []string{"siti@"}},
		{webhookErr, "connect", []string{"RAHASIA", "api_key", "081234567890", "127.0.0.1:1/kirim"}},
		{errors.New("webhook refused +62 812-3456-7890"), "webhook refused", []string{"812", "7890"}},
	} {
		got := cases.RedactErr(tc.err)
		if !strings.Contains(got, tc.keep) {
			t.Errorf("%q lost what went wrong: %q", tc.err, got)
		}
		for _, f := range tc.forbidden {
			if strings.Contains(got, f) {
				t.Errorf("%q kept %q: %q", tc.err, f, got)
			}
		}
	}
}
