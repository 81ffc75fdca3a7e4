package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

// Session lifetimes (docs/security.md, "Sessions").
const (
	// StaffTokenSeconds is how long a staff login lasts: 12 hours covers a
	// working day with an early start and overtime (a puskesmas counter
	// may open before 07:30 and run into the evening), so nobody is signed
	// out mid-shift, and a session left open on a shared counter PC is dead
	// by the next morning. PocketBase's default for an auth collection is
	// 5 days.
	StaffTokenSeconds = 12 * 60 * 60
	// SuperuserTokenSeconds is how long a superuser login to /_/ lasts:
	// 8 hours, a working day of set-up work. Superusers can change every
	// setting and restore backups, so their token is the shorter one.
	// PocketBase's default is 1 day.
	SuperuserTokenSeconds = 8 * 60 * 60
)

// PocketBase's defaults (v0.39.11: core.Collection's auth options and the
// init migration): what up replaces and down puts back.
const (
	pbAuthTokenSeconds      = 432000 // 5 days
	pbSuperuserTokenSeconds = 86400  // 1 day
)

func init() {
	m.Register(securityUp, securityDown, "1763807000_security.go")
}

// securityUp shortens the staff and superuser auth tokens. A token in the
// staff session cookie (ui) or in an API client expires with it. Only a
// duration still at PocketBase's default changes, so a value an operator
// chose in /_/ is kept and running it twice changes nothing.
func securityUp(app core.App) error {
	return setTokenDurations(app, map[string][2]int64{
		model.Staff:                   {pbAuthTokenSeconds, StaffTokenSeconds},
		core.CollectionNameSuperusers: {pbSuperuserTokenSeconds, SuperuserTokenSeconds},
	})
}

// securityDown puts PocketBase's defaults back where up's values are still
// in place.
func securityDown(app core.App) error {
	return setTokenDurations(app, map[string][2]int64{
		model.Staff:                   {StaffTokenSeconds, pbAuthTokenSeconds},
		core.CollectionNameSuperusers: {SuperuserTokenSeconds, pbSuperuserTokenSeconds},
	})
}

// setTokenDurations sets each collection's auth token duration to [1] when
// it is [0].
func setTokenDurations(app core.App, change map[string][2]int64) error {
	for name, fromTo := range change {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return fmt.Errorf("migrations: security: %w", err)
		}
		if c.AuthToken.Duration != fromTo[0] {
			continue
		}
		c.AuthToken.Duration = fromTo[1]
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: security: %s token duration: %w", name, err)
		}
	}
	return nil
}
