// Package sectest holds Simpul's cross-cutting security tests: the ones
// docs/security.md cites that belong to no single package (login limits,
// session lifetime, secrets at rest, headers and CSRF on every route, slow
// clients, hostile input not covered elsewhere, what the logs never hold).
// It has no code outside its tests.
package sectest
