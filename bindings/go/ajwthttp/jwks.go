package ajwthttp

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// JWKSFetcher is an ajwt.JWKSFetcher over net/http: a GET with the cache's timeout and body
// cap, following no redirect (the URL is the trusted one). Client nil: a client over
// http.DefaultTransport (proxy settings from the environment).
type JWKSFetcher struct {
	Client *http.Client
}

// NewJWKSCache is ajwt.NewJWKSCache with a JWKSFetcher over client (nil: the default).
func NewJWKSCache(client *http.Client, opts ...ajwt.JWKSCacheOption) (*ajwt.JWKSCache, error) {
	return ajwt.NewJWKSCache(JWKSFetcher{Client: client}, opts...)
}

// FetchJWKS implements ajwt.JWKSFetcher.
func (f JWKSFetcher) FetchJWKS(url string, timeout time.Duration, maxBytes int) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	client := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if f.Client != nil {
		client = *f.Client
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	// One byte over the cap is enough for the cache to refuse the body.
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(maxBytes)+1))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}
