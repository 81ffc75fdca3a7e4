package ui

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
)

// callIntake is replaced by the hooks/intake call when that package lands.
func (p *renderer) callIntake(e *core.RequestEvent, f *formView, opts submitOptions) (*doneView, map[string]string, int, error) {
	return nil, nil, 0, errors.New("ui: intake not available yet")
}

const honeypotField = "website"
