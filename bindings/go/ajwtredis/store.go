// Package ajwtredis is a nonce store shared by every replica of a service (and by the other
// languages' services) over Redis: each accepted token's nonce is recorded with
// "SET key 1 NX EX ttl", where the key (ajwt.NonceKey) and the ttl (the verifier's
// NonceTTL) come from libajwt, so a token accepted by one server is refused by all of them.
// It is its own module so that the ajwt package does not depend on go-redis.
//
//	store := ajwtredis.New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
//	auth, _ := ajwt.NewAuthenticator(verifier, repo, ajwt.WithNonceRecorder(store))
package ajwtredis

import (
	"context"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/redis/go-redis/v9"
)

// NonceStore is an ajwt.NonceRecorder over a go-redis client (a Client, ClusterClient or
// Ring). A Redis error fails the authentication closed; the client reconnects by itself.
type NonceStore struct {
	client redis.Cmdable
}

var _ ajwt.NonceRecorder = (*NonceStore)(nil)

// New returns a store over client.
func New(client redis.Cmdable) *NonceStore { return &NonceStore{client: client} }

// RecordNonce records key for ttl unless it is recorded already: SET key 1 NX EX ttl under the
// request's context (its cancellation or deadline ends the call: a failure, so fail closed).
func (s *NonceStore) RecordNonce(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return s.client.SetNX(ctx, key, 1, ttl).Result()
}
