package ajwtredis_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/libajwt/libajwt/bindings/go/ajwthttp"
	"github.com/libajwt/libajwt/bindings/go/ajwtredis"
	"github.com/redis/go-redis/v9"
)

// redisServer is a private redis-server on a free loopback port, started by the test.
type redisServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed (scripts/install-deps.sh services): the Redis store is not tested")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &redisServer{t: t, port: port}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *redisServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }

func (s *redisServer) start() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", "--port", fmt.Sprint(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	probe := redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1})
	defer probe.Close()
	for i := 0; ; i++ {
		if probe.Ping(context.Background()).Err() == nil {
			return
		}
		if i == 100 {
			s.t.Fatalf("redis-server on %s did not answer", s.addr())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *redisServer) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

// replica is one server of a service: its own authenticator over the shared Redis.
type replica struct {
	auth     *ajwt.Authenticator
	verifier *ajwt.Verifier
}

type keys map[string]*ajwt.Key

func (k keys) UserKeys(username, _ string, set *ajwt.KeySet) error {
	if key, ok := k[username]; ok {
		pub, err := key.Public()
		if err != nil {
			return err
		}
		return set.Add(pub)
	}
	return nil
}

func newReplica(t *testing.T, r *redisServer, users keys) *replica {
	t.Helper()
	client := redis.NewClient(&redis.Options{Addr: r.addr(), MaxRetries: -1, DialTimeout: time.Second,
		ReadTimeout: time.Second, WriteTimeout: time.Second})
	t.Cleanup(func() { client.Close() })
	v, err := ajwt.NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	auth, err := ajwt.NewAuthenticator(v, users, ajwt.WithNonceRecorder(ajwtredis.New(client)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { auth.Close() })
	return &replica{auth: auth, verifier: v}
}

func sign(t *testing.T, key *ajwt.Key, user string) string {
	t.Helper()
	h, err := ajwt.SignHeader(key, user, ajwt.Now())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func wantStatus(t *testing.T, err error, want ajwt.Status) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

func TestRedisStoreRefusesReplaysAcrossReplicas(t *testing.T) {
	r := startRedis(t)
	alice, _ := ajwt.GenerateKey(ajwt.KeyEd25519)
	users := keys{"alice": alice}
	a, b := newReplica(t, r, users), newReplica(t, r, users)

	header := sign(t, alice, "alice")
	id, err := a.auth.Authenticate(header, ajwt.Now())
	if err != nil || id.Username != "alice" {
		t.Fatalf("first use: %v, %v", id, err)
	}
	_, err = a.auth.Authenticate(header, ajwt.Now())
	wantStatus(t, err, ajwt.ErrNonceReplayed)
	_, err = b.auth.AuthenticateContext(context.Background(), header, ajwt.Now(), ajwt.Request{})
	wantStatus(t, err, ajwt.ErrNonceReplayed)

	// The record is the core's key with the verifier's TTL, readable by any language's service.
	key, err := ajwt.NonceKey("alice", id.Time, id.Nonce)
	if err != nil {
		t.Fatal(err)
	}
	probe := redis.NewClient(&redis.Options{Addr: r.addr()})
	defer probe.Close()
	ttl, err := probe.TTL(context.Background(), key).Result()
	if err != nil || ttl <= 0 || ttl > time.Duration(a.verifier.NonceTTL())*time.Second {
		t.Fatalf("TTL of %s: %v, %v; want within (0, %d s]", key, ttl, err, a.verifier.NonceTTL())
	}
	if n, _ := probe.DBSize(context.Background()).Result(); n != 1 {
		t.Fatalf("%d keys in Redis, want 1", n)
	}
}

func TestRedisStoreFailsClosedAndRecovers(t *testing.T) {
	r := startRedis(t)
	alice, _ := ajwt.GenerateKey(ajwt.KeyEd25519)
	a := newReplica(t, r, keys{"alice": alice})
	if _, err := a.auth.Authenticate(sign(t, alice, "alice"), ajwt.Now()); err != nil {
		t.Fatalf("Redis up: %v", err)
	}

	r.stop()
	_, err := a.auth.Authenticate(sign(t, alice, "alice"), ajwt.Now())
	wantStatus(t, err, ajwt.ErrCallbackFailed)
	if ajwt.IsClientError(err) {
		t.Fatalf("a store failure counted as the client's: %v", err)
	}

	// Through the middleware: 401 with the header, logged as the server's error.
	var log strings.Builder
	mw := ajwthttp.Middleware(a.auth, ajwthttp.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	srv := httptest.NewServer(mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	defer srv.Close()
	c := &http.Client{Transport: &ajwthttp.Transport{Key: alice, Username: "alice"}}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "JWT" ||
		!strings.Contains(log.String(), "level=ERROR") {
		t.Fatalf("Redis down through the middleware: %d %q, log %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), log.String())
	}

	r.start() // same port: the client reconnects by itself
	if _, err := a.auth.Authenticate(sign(t, alice, "alice"), ajwt.Now()); err != nil {
		t.Fatalf("Redis back: %v", err)
	}
}

func TestRedisStoreHonoursTheRequestContext(t *testing.T) {
	r := startRedis(t)
	alice, _ := ajwt.GenerateKey(ajwt.KeyEd25519)
	a := newReplica(t, r, keys{"alice": alice})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.auth.AuthenticateContext(ctx, sign(t, alice, "alice"), ajwt.Now(), ajwt.Request{})
	wantStatus(t, err, ajwt.ErrCallbackFailed)
	if !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Fatalf("the failure does not say why: %v", err)
	}
}
