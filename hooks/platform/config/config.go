// Package config reads Simpul's SIMPUL_* environment variables into one typed
// value. Every option has a default that works with no set-up; secrets may
// also be given as a file path in the same name with a _FILE suffix (Docker
// and systemd credentials).
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is the process configuration. Office-editable values (name, code,
// time zone, working days, public URL) live in the offices collection,
// where admins change them on /staf/pengaturan; the first start seeds them
// from here, and a variable that is set (OfficeEnv) is written there again
// at every start, so the server's configuration wins over the page.
type Config struct {
	OfficeName      string // SIMPUL_OFFICE_NAME
	OfficeCode      string // SIMPUL_OFFICE_CODE
	TimeZone        string // SIMPUL_TIMEZONE: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)
	PublicURL       string // SIMPUL_PUBLIC_URL: the base URL printed in QR codes; empty: each request's own origin
	WorkingWeekdays string // SIMPUL_WORKING_DAYS: "mon-fri" or "mon-sat"
	// OfficeEnv holds the office variables above that were actually set,
	// by name (SIMPUL_OFFICE_NAME …), with their values.
	OfficeEnv map[string]string

	UpstreamURL  string        // SIMPUL_UPSTREAM_URL: the parent hub; empty means no parent
	NodeID       string        // SIMPUL_NODE_ID
	NodeSecret   string        // SIMPUL_NODE_SECRET (or SIMPUL_NODE_SECRET_FILE)
	SyncInterval time.Duration // SIMPUL_SYNC_INTERVAL, default 5m

	// The national SP4N-LAPOR! as the parent of a top node instead of a
	// Simpul hub (sync/lapor, docs/lapor-adapter.md); empty means none.
	LaporURL   string // SIMPUL_LAPOR_URL: the full URL reports are posted to
	LaporToken string // SIMPUL_LAPOR_TOKEN (or SIMPUL_LAPOR_TOKEN_FILE): the agency's access token

	// AllowHTTPUpstream lets SIMPUL_UPSTREAM_URL and SIMPUL_LAPOR_URL be
	// plain http:// (SIMPUL_ALLOW_HTTP_UPSTREAM=lab): for a lab or a test
	// bench only. Without it a parent must be https://, so nobody on the
	// path reads the reports or the LAPOR! token.
	AllowHTTPUpstream bool
}

// Linked reports whether this office hands reports on to a parent: a
// Simpul hub (SIMPUL_UPSTREAM_URL) or SP4N-LAPOR! itself (SIMPUL_LAPOR_URL).
// An office that is not linked keeps what is not its authority: nobody
// above will receive it, so the reporter must be told where to go instead.
func (c Config) Linked() bool { return c.UpstreamURL != "" || c.LaporURL != "" }

// Defaults used when a variable is unset.
const (
	DefaultOfficeName   = "Kantor Simpul (ubah nama di Pengaturan)"
	DefaultOfficeCode   = "SIMPUL"
	DefaultTimeZone     = "Asia/Jakarta"
	DefaultSyncInterval = 5 * time.Minute
)

// OfficeVars are the office variables, in the order they are applied.
var OfficeVars = []string{"SIMPUL_OFFICE_NAME", "SIMPUL_OFFICE_CODE", "SIMPUL_TIMEZONE", "SIMPUL_WORKING_DAYS", "SIMPUL_PUBLIC_URL"}

// FromEnv reads the configuration from the process environment.
func FromEnv() (Config, error) { return Load(os.Getenv) }

// Load reads the configuration through getenv, so tests can pass a map.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		OfficeName:      or(getenv("SIMPUL_OFFICE_NAME"), DefaultOfficeName),
		OfficeCode:      or(getenv("SIMPUL_OFFICE_CODE"), DefaultOfficeCode),
		TimeZone:        or(getenv("SIMPUL_TIMEZONE"), DefaultTimeZone),
		PublicURL:       strings.TrimRight(strings.TrimSpace(getenv("SIMPUL_PUBLIC_URL")), "/"),
		WorkingWeekdays: or(getenv("SIMPUL_WORKING_DAYS"), "mon-fri"),
		UpstreamURL:     strings.TrimRight(getenv("SIMPUL_UPSTREAM_URL"), "/"),
		NodeID:          getenv("SIMPUL_NODE_ID"),
		SyncInterval:    DefaultSyncInterval,
		LaporURL:        strings.TrimSpace(getenv("SIMPUL_LAPOR_URL")),
	}
	c.OfficeEnv = map[string]string{}
	for _, name := range OfficeVars {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			c.OfficeEnv[name] = v
		}
	}
	if c.PublicURL != "" {
		c.OfficeEnv["SIMPUL_PUBLIC_URL"] = c.PublicURL
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("SIMPUL_ALLOW_HTTP_UPSTREAM"))); v {
	case "":
	case "lab", "1", "true", "yes":
		c.AllowHTTPUpstream = true
	default:
		return c, fmt.Errorf("config: SIMPUL_ALLOW_HTTP_UPSTREAM %q: set it to lab (plain http to the parent, for a lab only) or leave it empty", v)
	}
	var errs []error
	secret, err := secretValue(getenv, "SIMPUL_NODE_SECRET")
	errs = append(errs, err)
	c.NodeSecret = secret
	token, err := secretValue(getenv, "SIMPUL_LAPOR_TOKEN")
	errs = append(errs, err)
	c.LaporToken = strings.TrimSpace(token)
	if v := getenv("SIMPUL_SYNC_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("config: SIMPUL_SYNC_INTERVAL: %w", err))
		case d < time.Second:
			errs = append(errs, errors.New("config: SIMPUL_SYNC_INTERVAL must be at least 1s"))
		default:
			c.SyncInterval = d
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("config: SIMPUL_TIMEZONE: %w", err))
	}
	if _, err := WeekdaysFromSpec(c.WorkingWeekdays); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: SIMPUL_PUBLIC_URL %q is not an http(s) URL", c.PublicURL))
		}
	}
	if c.UpstreamURL != "" {
		errs = append(errs, c.parentURL("SIMPUL_UPSTREAM_URL", c.UpstreamURL))
		if c.NodeID == "" || c.NodeSecret == "" {
			errs = append(errs, errors.New("config: SIMPUL_UPSTREAM_URL needs SIMPUL_NODE_ID and SIMPUL_NODE_SECRET"))
		}
	}
	if c.LaporURL != "" {
		errs = append(errs, c.parentURL("SIMPUL_LAPOR_URL", c.LaporURL))
		if c.LaporToken == "" {
			errs = append(errs, errors.New("config: SIMPUL_LAPOR_URL needs SIMPUL_LAPOR_TOKEN (or SIMPUL_LAPOR_TOKEN_FILE)"))
		}
		if c.UpstreamURL != "" {
			errs = append(errs, errors.New("config: set SIMPUL_UPSTREAM_URL (a parent Simpul) or SIMPUL_LAPOR_URL (SP4N-LAPOR!), not both"))
		}
	}
	return c, errors.Join(errs...)
}

// parentURL checks a parent's URL: https://, or http:// with the lab flag.
func (c Config) parentURL(name, raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("config: %s %q is not an http(s) URL", name, raw)
	case u.Scheme == "http" && !c.AllowHTTPUpstream:
		return fmt.Errorf("config: %s %q is plain http: anyone on the path could read and alter the sync; use https:// (or, in a lab only, set SIMPUL_ALLOW_HTTP_UPSTREAM=lab)", name, raw)
	}
	return nil
}

// WeekdaysFromSpec turns "mon-fri" or "mon-sat" (or a comma list of ISO
// weekday numbers, 1 = Monday) into ISO weekday numbers.
func WeekdaysFromSpec(spec string) ([]int, error) {
	switch strings.ToLower(strings.TrimSpace(spec)) {
	case "", "mon-fri", "senin-jumat":
		return []int{1, 2, 3, 4, 5}, nil
	case "mon-sat", "senin-sabtu":
		return []int{1, 2, 3, 4, 5, 6}, nil
	}
	var days []int
	seen := map[int]bool{}
	for _, part := range strings.Split(spec, ",") {
		var d int
		if _, err := fmt.Sscanf(strings.TrimSpace(part), "%d", &d); err != nil || d < 1 || d > 7 || seen[d] {
			return nil, fmt.Errorf("config: SIMPUL_WORKING_DAYS %q: want mon-fri, mon-sat or ISO weekday numbers like 1,2,3,4,5", spec)
		}
		seen[d] = true
		days = append(days, d)
	}
	return days, nil
}

func secretValue(getenv func(string) string, name string) (string, error) {
	if v := getenv(name); v != "" {
		return v, nil
	}
	path := getenv(name + "_FILE")
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("config: %s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func or(v, fallback string) string {
	if strings.TrimSpace(v) == "" {
		return fallback
	}
	return strings.TrimSpace(v)
}
