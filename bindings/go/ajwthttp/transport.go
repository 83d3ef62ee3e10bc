package ajwthttp

import (
	"bytes"
	"io"
	"net/http"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// DefaultMaxBodyBytes is the largest request body Transport binds when MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// Transport is an http.RoundTripper that signs every request it sends as Username with Key:
// a fresh token (new nonce, current time) for each attempt, so retries and redirects are
// signed again rather than replayed.
//
//	client := &http.Client{Transport: &ajwthttp.Transport{Key: key, Username: "alice"}}
type Transport struct {
	Base     http.RoundTripper // nil: http.DefaultTransport
	Key      *ajwt.Key         // the private key
	Username string
	Alg      ajwt.Alg // ajwt.AlgDefault: the key's preferred algorithm

	// BindRequest binds each token to its request (ajwt.SignRequest): method, target and the
	// body's digest. A body larger than MaxBodyBytes (0: DefaultMaxBodyBytes) is not bound.
	BindRequest  bool
	MaxBodyBytes int64
	Audience     string // bound when not "": the service the token is meant for

	Now func() int64 // nil: ajwt.Now
}

// RoundTrip signs req (on a clone: req itself is not modified) and sends it with Base.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	signed := req.Clone(req.Context())
	header, err := t.authorization(signed)
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper closes the body, even on errors
		}
		return nil, err
	}
	signed.Header.Set("Authorization", header)
	return t.base().RoundTrip(signed)
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// authorization signs a token for req; with BindRequest it may replace req.Body by a reader
// over the bytes it read for the digest.
func (t *Transport) authorization(req *http.Request) (string, error) {
	now := ajwt.Now
	if t.Now != nil {
		now = t.Now
	}
	claims := ajwt.Claims{Username: t.Username, Time: now()}
	var token string
	var err error
	if !t.BindRequest && t.Audience == "" {
		token, err = ajwt.SignAlg(t.Key, claims, t.Alg)
	} else {
		bound := ajwt.Request{Audience: t.Audience}
		if t.BindRequest {
			bound.Method, bound.Target = req.Method, req.URL.RequestURI()
			if bound.Method == "" {
				bound.Method = http.MethodGet
			}
			if bound.Body, err = t.body(req); err != nil {
				return "", err
			}
		}
		token, err = ajwt.SignRequest(t.Key, claims, t.Alg, bound)
	}
	if err != nil {
		return "", err
	}
	return ajwt.AuthHeader("", token)
}

// body gives the bytes to bind (nil: too large, not bound), reading them from GetBody when the
// request can replay its body, else from Body, which is then put back together.
func (t *Transport) body(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return []byte{}, nil
	}
	limit := t.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if req.GetBody != nil {
		copyBody, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer copyBody.Close()
		return readUpTo(copyBody, limit, nil)
	}
	return readUpTo(req.Body, limit, req)
}

// readUpTo reads at most limit bytes (nil if there are more); with req it puts what it read
// back in front of req.Body.
func readUpTo(body io.ReadCloser, limit int64, req *http.Request) ([]byte, error) {
	read, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, err
	}
	if req != nil {
		req.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(read), body), body}
	}
	if int64(len(read)) > limit {
		return nil, nil
	}
	return read, nil
}
