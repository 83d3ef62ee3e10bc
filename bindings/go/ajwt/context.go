package ajwt

import (
	"context"
	"errors"
	"time"
)

// NonceRecorder is a nonce store shared by several servers (e.g. Redis, see the ajwtredis
// module), driven by the host with the request's context: RecordNonce atomically records key
// for ttl unless it is already recorded ("set if absent"): (true, nil) recorded, (false, nil)
// already there (a replay), an error when the store failed (the request is refused: fail
// closed). key and ttl come from the core (NonceKey, Verifier.NonceTTL).
type NonceRecorder interface {
	RecordNonce(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// ContextKeyRepository is optional: implemented by the repository, AuthenticateContext calls
// it instead of KeyRepository.UserKeys, with the request's context.
type ContextKeyRepository interface {
	UserKeysContext(ctx context.Context, username, kid string, keys *KeySet) error
}

// JWKSURLRepository is optional: the JWKS URLs a user trusts; their keys come through the
// authenticator's JWKSCache (WithJWKSCache) when the registered keys lack the token's kid.
type JWKSURLRepository interface {
	UserJWKSURLs(username string) ([]string, error)
}

// WithNonceRecorder makes the authenticator record nonces in a shared store (the verifier's own
// store is then not used). Every Authenticate* call then runs the Go-driven flow.
func WithNonceRecorder(r NonceRecorder) AuthenticatorOption {
	return func(c *authenticatorConfig) { c.nonces = r }
}

// WithJWKSCache gives the authenticator a JWKS cache for the users whose repository entry names
// JWKS URLs (JWKSURLRepository). Every Authenticate* call then runs the Go-driven flow.
func WithJWKSCache(cache *JWKSCache) AuthenticatorOption {
	return func(c *authenticatorConfig) { c.jwks = cache }
}

// hostsLookups reports whether authentication must run through the Go-driven flow (Begin,
// Verify, Finish) because a lookup lives in Go only.
func (a *Authenticator) hostsLookups() bool { return a.nonces != nil || a.jwks != nil }

// AuthenticateContext is AuthenticateRequest with the host's lookups run in Go under ctx
// (the two-phase ABI: Begin, Verify, Finish): the repository (UserKeysContext when implemented),
// the JWKS cache and the NonceRecorder. The checks and statuses are those of Authenticate.
func (a *Authenticator) AuthenticateContext(ctx context.Context, header string, now int64, req Request) (*Identity, error) {
	if a == nil || a.state == nil {
		return nil, closedError("authenticator")
	}
	if _, withContext := a.repo.keys.(ContextKeyRepository); !withContext && !a.hostsLookups() {
		// Nothing here would use ctx: the one-call flow gives the same result in one cgo call.
		return a.authenticate(header, now, &req)
	}
	p, err := a.Begin(header)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	keys, err := a.lookupKeys(ctx, p.Username(), p.Kid(), now)
	if err != nil {
		return nil, err
	}
	defer keys.Close() // nil-safe: nil is the unknown user
	if err := p.Verify(keys, now, req); err != nil {
		return nil, err
	}
	outcome, storeErr := a.recordNonce(ctx, p)
	id, err := p.Finish(outcome)
	if err != nil {
		var e *Error
		if storeErr != nil && errors.As(err, &e) {
			e.Message += ": " + storeErr.Error()
		}
		return nil, err
	}
	if a.repo.used != nil {
		a.repo.used.KeyUsed(id.Username, borrowKeyCopy(id.Key.handle())) // its own reference, as from the core
	}
	return id, nil
}

// lookupKeys gives the user's keys, as the one-call flow gathers them: none (nil) for a user
// the UserRepository does not know; the registered keys; and, for a token whose kid they lack,
// the JWKSRepository's keys and those of the user's JWKS URLs.
func (a *Authenticator) lookupKeys(ctx context.Context, username, kid string, now int64) (*KeySet, error) {
	r := a.repo
	if r.users != nil {
		exists, err := r.users.UserExists(username)
		if err != nil {
			return nil, hostError(err)
		}
		if !exists {
			return nil, nil
		}
	}
	keys, err := NewKeySet()
	if err != nil {
		return nil, err
	}
	if err := a.addKeys(ctx, username, kid, now, keys); err != nil {
		keys.Close()
		return nil, err
	}
	return keys, nil
}

func (a *Authenticator) addKeys(ctx context.Context, username, kid string, now int64, keys *KeySet) error {
	r := a.repo
	var err error
	if ck, ok := r.keys.(ContextKeyRepository); ok {
		err = ck.UserKeysContext(ctx, username, kid, keys)
	} else {
		err = r.keys.UserKeys(username, kid, keys)
	}
	if err != nil {
		return hostError(err)
	}
	if kid == "" || hasKid(keys, kid) {
		return nil
	}
	if r.jwks != nil {
		if err := r.jwks.UserJWKS(username, kid, keys); err != nil {
			return hostError(err)
		}
	}
	if a.jwks == nil || r.jwksURLs == nil {
		return nil
	}
	urls, err := r.jwksURLs.UserJWKSURLs(username)
	if err != nil {
		return hostError(err)
	}
	for _, url := range urls {
		// A URL that cannot be fetched adds no key (the core then answers ErrNoMatchingKey).
		_ = a.jwks.Keys(url, kid, now, keys)
	}
	return nil
}

func hasKid(keys *KeySet, kid string) bool {
	k := keys.Find(kid)
	defer k.Close()
	return k != nil
}

// recordNonce asks the NonceRecorder, if any, to record the verified token's nonce.
func (a *Authenticator) recordNonce(ctx context.Context, p *Pending) (NonceOutcome, error) {
	if a.nonces == nil {
		return NonceUseVerifierStore, nil
	}
	recorded, err := a.nonces.RecordNonce(ctx, p.NonceKey(), time.Duration(p.NonceTTL())*time.Second)
	switch {
	case err != nil:
		return NonceStoreFailed, err
	case recorded:
		return NonceRecorded, nil
	default:
		return NonceAlreadyRecorded, nil
	}
}

// hostError is a repository's error as the library would report it: a Status inside is passed
// on, anything else is ErrCallbackFailed with the error's text.
func hostError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Status: Status(statusFor(err)), Message: err.Error()}
}
