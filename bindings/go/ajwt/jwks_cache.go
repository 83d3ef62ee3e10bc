package ajwt

/*
#include <ajwt.h>
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"time"
)

// ErrJWKSFetch: a JWKS URL could not be fetched (transport failure or an HTTP status not 200).
const ErrJWKSFetch Status = C.AJWT_ERR_JWKS_FETCH

// JWKSFetcher does the HTTP GET of a JWKS URL for a JWKSCache (ajwt_http_get_callback): within
// timeout, following no redirect, reading at most maxBytes of body (reading more is allowed:
// the cache refuses a body over its cap). It returns the HTTP status and the body; an error is
// a transport failure (DNS, connect, TLS, timeout). The ajwthttp package has one over net/http.
// It is called from the goroutine that authenticates and from the cache's refresh thread, for
// several URLs at once.
type JWKSFetcher interface {
	FetchJWKS(url string, timeout time.Duration, maxBytes int) (status int, body []byte, err error)
}

// JWKSCacheOption sets one of the cache's policy values (defaults: the core's, those of the
// Django package: TTL 5 min, max age 1 h, cooldown 30 s, timeout 5 s, 256 KiB, 100 keys).
type JWKSCacheOption func(*C.ajwt_jwks_cache, *C.ajwt_error) C.ajwt_status

// WithJWKSTTL: a set this old is still served, and refreshed in the background.
func WithJWKSTTL(d time.Duration) JWKSCacheOption {
	return func(c *C.ajwt_jwks_cache, e *C.ajwt_error) C.ajwt_status {
		return C.ajwt_jwks_cache_set_ttl(c, C.int64_t(d/time.Second), e)
	}
}

// WithJWKSMaxAge: a set this old is no longer served while its endpoint fails.
func WithJWKSMaxAge(d time.Duration) JWKSCacheOption {
	return func(c *C.ajwt_jwks_cache, e *C.ajwt_error) C.ajwt_status {
		return C.ajwt_jwks_cache_set_max_age(c, C.int64_t(d/time.Second), e)
	}
}

// WithJWKSRefreshCooldown: at most one fetch per URL in this time after a fetch or an attempt
// (unknown kids, failures).
func WithJWKSRefreshCooldown(d time.Duration) JWKSCacheOption {
	return func(c *C.ajwt_jwks_cache, e *C.ajwt_error) C.ajwt_status {
		return C.ajwt_jwks_cache_set_refresh_cooldown(c, C.int64_t(d/time.Second), e)
	}
}

// WithJWKSFetchTimeout: the one deadline of a GET, passed to the JWKSFetcher.
func WithJWKSFetchTimeout(d time.Duration) JWKSCacheOption {
	return func(c *C.ajwt_jwks_cache, e *C.ajwt_error) C.ajwt_status {
		return C.ajwt_jwks_cache_set_fetch_timeout_ms(c, C.uint32_t(d/time.Millisecond), e)
	}
}

// WithJWKSMaxBodySize: a larger body is a failed fetch.
func WithJWKSMaxBodySize(n int) JWKSCacheOption {
	return func(c *C.ajwt_jwks_cache, e *C.ajwt_error) C.ajwt_status {
		return C.ajwt_jwks_cache_set_max_body_size(c, C.size_t(n), e)
	}
}

// JWKSCache holds the keys of trusted JWKS URLs with the core's refresh policy
// (ajwt_jwks_cache): the policy runs in libajwt, the GET in the JWKSFetcher. Safe for
// concurrent use.
type JWKSCache struct {
	ptr     *C.ajwt_jwks_cache
	cleanup runtime.Cleanup
}

// NewJWKSCache returns a cache that fetches with fetcher. The cache keeps fetcher reachable
// until it is closed or collected (and no authenticator holds it).
func NewJWKSCache(fetcher JWKSFetcher, opts ...JWKSCacheOption) (*JWKSCache, error) {
	if fetcher == nil {
		return nil, &Error{Status: ErrInvalidArgument, Message: "nil JWKSFetcher"}
	}
	var p *C.ajwt_jwks_cache
	var e C.ajwt_error
	if st := C.ajwt_jwks_cache_new(&p, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	for _, opt := range opts {
		if st := opt(p, &e); st != C.AJWT_OK {
			C.ajwt_jwks_cache_free(p)
			return nil, newError(st, &e)
		}
	}
	h := cgo.NewHandle(fetcher)
	if st := setHTTPGet(p, h, &e); st != C.AJWT_OK {
		h.Delete() // the library did not take user_data
		C.ajwt_jwks_cache_free(p)
		return nil, newError(st, &e)
	}
	c := &JWKSCache{ptr: p}
	c.cleanup = runtime.AddCleanup(c, func(p *C.ajwt_jwks_cache) { C.ajwt_jwks_cache_free(p) }, p)
	return c, nil
}

// Close releases the cache (its refresh thread stops after the fetch it runs, if any).
func (c *JWKSCache) Close() error {
	if c != nil && c.ptr != nil {
		c.cleanup.Stop()
		C.ajwt_jwks_cache_free(c.ptr)
		c.ptr = nil
	}
	return nil
}

// Keys adds the usable keys url publishes to keys (only the one with kid when kid is not ""),
// fetching when the policy says so (ajwt_jwks_cache_keys): a first fetch before answering,
// refreshes in the background. nil whenever the policy ran, even if it added no key;
// ErrJWKSFetch or ErrJWKSParse when a fetch made now failed and nothing usable is cached.
func (c *JWKSCache) Keys(url, kid string, now int64, keys *KeySet) error {
	h, kh := c.handle(), keys.handle()
	if h == nil || kh == nil {
		return closedError("JWKS cache or key set")
	}
	up, un := cstr(url)
	kp, kn := optionalString(kid)
	cs := getCallState()
	defer putCallState(cs)
	st := C.ajwt_jwks_cache_keys(h, up, un, kp, kn, C.int64_t(now), kh, &cs.err)
	runtime.KeepAlive(c)
	runtime.KeepAlive(keys)
	return newError(st, &cs.err)
}

// WaitIdle blocks until no background refresh is queued or running (tests, shutdown).
func (c *JWKSCache) WaitIdle() {
	C.ajwt_jwks_cache_wait_idle(c.handle())
	runtime.KeepAlive(c)
}

// FetchTimeout is the deadline the cache gives each GET.
func (c *JWKSCache) FetchTimeout() time.Duration {
	ms := C.ajwt_jwks_cache_fetch_timeout_ms(c.handle())
	runtime.KeepAlive(c)
	return time.Duration(ms) * time.Millisecond
}

// MaxBodySize is the body size cap of a JWKS response.
func (c *JWKSCache) MaxBodySize() int {
	n := C.ajwt_jwks_cache_max_body_size(c.handle())
	runtime.KeepAlive(c)
	return int(n)
}

func (c *JWKSCache) handle() *C.ajwt_jwks_cache {
	if c == nil {
		return nil
	}
	return c.ptr
}
