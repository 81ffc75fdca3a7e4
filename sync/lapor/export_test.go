package lapor

// RetryAfter is retryAfter, for its test.
var RetryAfter = retryAfter
