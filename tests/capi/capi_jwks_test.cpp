// The JWKS cache through the C ABI: the async lookup/store pair, the sync path with a host GET
// callback, the authenticator hook, and one run over real HTTP on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "capi_support.hpp"

using namespace capi_test;

namespace {

struct CacheDeleter {
    void operator()(ajwt_jwks_cache* p) const { ajwt_jwks_cache_free(p); }
};
using Cache = std::unique_ptr<ajwt_jwks_cache, CacheDeleter>;

#define ASSERT_OK(expr) ASSERT_STATUS(AJWT_OK, expr)

constexpr int64_t kT0 = 1'700'000'000;

Cache new_cache() {
    ajwt_jwks_cache* c = nullptr;
    if (ajwt_jwks_cache_new(&c, nullptr) != AJWT_OK) throw std::runtime_error("ajwt_jwks_cache_new");
    return Cache(c);
}

std::string jwks_of(const std::vector<const ajwt_key*>& keys) {
    Keyset set = new_keyset();
    for (const ajwt_key* key : keys)
        if (ajwt_keyset_add(set.get(), public_of(key).get(), nullptr) != AJWT_OK)
            throw std::runtime_error("ajwt_keyset_add");
    char* out = nullptr;
    size_t len = 0;
    if (ajwt_keyset_to_jwks(set.get(), &out, &len, nullptr) != AJWT_OK) throw std::runtime_error("to_jwks");
    Bytes owner(out);
    return std::string(out, len);
}

bool holds(const ajwt_keyset* set, const ajwt_key* key) {
    const std::string kid = fingerprint(key);
    return ajwt_keyset_find(set, kid.data(), kid.size()) != nullptr;
}

// ---- a fake endpoint behind the C callback ----
struct FakeEndpoint {
    std::mutex mutex;
    int status = 200;  // 0: the callback reports a transport failure
    std::string body;
    int gets = 0;
    uint32_t timeout_seen = 0;

    static ajwt_status get(void* user_data, const char* url, size_t url_len, uint32_t timeout_ms, size_t max_body,
                           ajwt_http_response* response) {
        auto* self = static_cast<FakeEndpoint*>(user_data);
        (void)max_body;
        if (url == nullptr || std::strlen(url) != url_len) return AJWT_ERR_INTERNAL;
        std::lock_guard<std::mutex> lock(self->mutex);
        ++self->gets;
        self->timeout_seen = timeout_ms;
        if (self->status == 0) return AJWT_ERR_CALLBACK_FAILED;
        ajwt_status s = ajwt_http_response_set_status(response, self->status, nullptr);
        if (s != AJWT_OK) return s;
        return ajwt_http_response_append(response, self->body.data(), self->body.size(), nullptr);
    }
};

}  // namespace

TEST(CapiJwks, LookupAndStoreForAsyncHosts) {
    Cache cache = new_cache();
    Key a = public_of(generate(AJWT_KEY_ED25519).get());
    const std::string url = "https://issuer.example/jwks.json";
    const std::string kid = fingerprint(a.get());
    Keyset out = new_keyset();
    ajwt_jwks_action action = AJWT_JWKS_REFRESH;
    ASSERT_OK(ajwt_jwks_cache_lookup(cache.get(), url.data(), url.size(), kid.data(), kid.size(), kT0, out.get(),
                                     &action, nullptr));
    EXPECT_EQ(action, AJWT_JWKS_FETCH_NOW);
    EXPECT_EQ(ajwt_keyset_count(out.get()), 0u);
    EXPECT_EQ(ajwt_jwks_cache_fetch_timeout_ms(cache.get()), static_cast<uint32_t>(AJWT_JWKS_DEFAULT_FETCH_TIMEOUT_MS));

    Err err;
    EXPECT_STATUS(AJWT_ERR_JWKS_FETCH,
                  ajwt_jwks_cache_store(cache.get(), url.data(), url.size(), 0, nullptr, 0, kT0, err.get()));
    EXPECT_NE(err.message().find("transport"), std::string::npos) << err.message();
    const std::string body = jwks_of({a.get()});
    ASSERT_OK(ajwt_jwks_cache_lookup(cache.get(), url.data(), url.size(), kid.data(), kid.size(),
                                     kT0 + AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN, out.get(), &action, nullptr));
    EXPECT_EQ(action, AJWT_JWKS_FETCH_NOW);
    ASSERT_OK(ajwt_jwks_cache_store(cache.get(), url.data(), url.size(), 200, body.data(), body.size(),
                                    kT0 + AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN, nullptr));
    ASSERT_OK(ajwt_jwks_cache_lookup(cache.get(), url.data(), url.size(), kid.data(), kid.size(),
                                     kT0 + AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN + 1, out.get(), &action, nullptr));
    EXPECT_EQ(action, AJWT_JWKS_NONE);
    EXPECT_TRUE(holds(out.get(), a.get()));
    // The handle's view of the set was synced: members are reachable by index too
    EXPECT_NE(ajwt_keyset_get(out.get(), 0), nullptr);
}

TEST(CapiJwks, BadArguments) {
    Cache cache = new_cache();
    Keyset out = new_keyset();
    ajwt_jwks_action action = AJWT_JWKS_NONE;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_lookup(cache.get(), "u", 1, nullptr, 0, kT0, out.get(), nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_lookup(nullptr, "u", 1, nullptr, 0, kT0, out.get(), &action, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_lookup(cache.get(), nullptr, 1, nullptr, 0, kT0, out.get(), &action, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_lookup(cache.get(), "u", 1, nullptr, 3, kT0, out.get(), &action, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_store(cache.get(), "u", 1, 42, nullptr, 0, kT0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_ttl(cache.get(), 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_max_age(cache.get(), -1, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_refresh_cooldown(cache.get(), 86401, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_refresh_cooldown(cache.get(), 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_fetch_timeout_ms(cache.get(), 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_set_max_body_size(cache.get(), AJWT_JWKS_DEFAULT_MAX_BODY_SIZE + 1, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_max_keys(cache.get(), 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_set_max_entries(cache.get(), 0, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_set_refresh_mode(cache.get(), static_cast<ajwt_jwks_refresh_mode>(7), nullptr));
    const std::string too_long(AJWT_JWKS_MAX_URL_LENGTH + 1, 'u');
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_jwks_cache_lookup(cache.get(), too_long.data(), too_long.size(),
                                                                    nullptr, 0, kT0, out.get(), &action, nullptr));
    // The sync path needs the GET callback
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_jwks_cache_keys(cache.get(), "u", 1, nullptr, 0, kT0, out.get(), nullptr));
    ajwt_jwks_cache_free(nullptr);
    ajwt_jwks_cache_wait_idle(nullptr);
    EXPECT_EQ(ajwt_jwks_cache_size(nullptr), 0u);
}

TEST(CapiJwks, SyncPathCallsTheHostGetWithThePolicy) {
    Cache cache = new_cache();
    FakeEndpoint endpoint;
    Key a = public_of(generate(AJWT_KEY_ED25519).get());
    endpoint.body = jwks_of({a.get()});
    ASSERT_OK(ajwt_jwks_cache_set_fetch_timeout_ms(cache.get(), 1234, nullptr));
    ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &FakeEndpoint::get, &endpoint, nullptr, nullptr));
    const std::string url = "https://issuer.example/jwks.json";
    const std::string kid = fingerprint(a.get());
    Keyset out = new_keyset();
    ASSERT_OK(
        ajwt_jwks_cache_keys(cache.get(), url.data(), url.size(), kid.data(), kid.size(), kT0, out.get(), nullptr));
    EXPECT_TRUE(holds(out.get(), a.get()));
    EXPECT_EQ(endpoint.gets, 1);
    EXPECT_EQ(endpoint.timeout_seen, 1234u);
    EXPECT_EQ(ajwt_jwks_cache_size(cache.get()), 1u);
}

TEST(CapiJwks, SyncPathReportsFailedFetches) {
    Cache cache = new_cache();
    FakeEndpoint endpoint;
    ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &FakeEndpoint::get, &endpoint, nullptr, nullptr));
    Keyset out = new_keyset();
    Err err;
    endpoint.status = 0;
    EXPECT_STATUS(AJWT_ERR_JWKS_FETCH,
                  ajwt_jwks_cache_keys(cache.get(), "https://a/", 10, nullptr, 0, kT0, out.get(), err.get()));
    EXPECT_NE(err.message().find("callback returned"), std::string::npos) << err.message();
    endpoint.status = 404;
    endpoint.body = "{\"keys\":[]}";
    EXPECT_STATUS(AJWT_ERR_JWKS_FETCH,
                  ajwt_jwks_cache_keys(cache.get(), "https://b/", 10, nullptr, 0, kT0, out.get(), err.get()));
    EXPECT_NE(err.message().find("404"), std::string::npos) << err.message();
    endpoint.status = 200;
    endpoint.body = "<html>login</html>";
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE,
                  ajwt_jwks_cache_keys(cache.get(), "https://c/", 10, nullptr, 0, kT0, out.get(), nullptr));
    endpoint.body = std::string(AJWT_JWKS_DEFAULT_MAX_BODY_SIZE + 1, ' ');
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE,
                  ajwt_jwks_cache_keys(cache.get(), "https://d/", 10, nullptr, 0, kT0, out.get(), err.get()));
    EXPECT_NE(err.message().find("larger than"), std::string::npos) << err.message();
    EXPECT_EQ(ajwt_keyset_count(out.get()), 0u);
    EXPECT_EQ(endpoint.gets, 4);
}

namespace {
int destroyed = 0;
void count_destroy(void*) { ++destroyed; }
}  // namespace

TEST(CapiJwks, CallbackUserDataIsReleasedOnReplaceAndFree) {
    destroyed = 0;
    {
        Cache cache = new_cache();
        FakeEndpoint endpoint;
        ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &FakeEndpoint::get, &endpoint, count_destroy, nullptr));
        ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &FakeEndpoint::get, &endpoint, count_destroy, nullptr));
        EXPECT_EQ(destroyed, 1);
    }
    EXPECT_EQ(destroyed, 2);
}

// ---- the authenticator hook ----
namespace {

struct Directory {
    std::string username = "alice";
    std::vector<std::string> urls;
    static ajwt_status keys(void*, const char*, size_t, const char*, size_t, ajwt_keyset*) { return AJWT_OK; }
    static ajwt_status jwks_urls(void* user_data, const char* username, size_t username_len, ajwt_jwks_url_list* out) {
        auto* self = static_cast<Directory*>(user_data);
        if (std::string(username, username_len) != self->username) return AJWT_OK;
        for (const std::string& url : self->urls) {
            ajwt_status s = ajwt_jwks_url_list_add(out, url.data(), url.size(), nullptr);
            if (s != AJWT_OK) return s;
        }
        return AJWT_OK;
    }
};

Auth jwks_authenticator(Directory& directory, ajwt_jwks_cache* cache) {
    Verifier verifier = new_verifier();
    ajwt_authenticator* a = nullptr;
    if (ajwt_authenticator_new(verifier.get(), &a, nullptr) != AJWT_OK) throw std::runtime_error("authenticator");
    Auth auth(a);
    if (ajwt_authenticator_set_user_keys(a, &Directory::keys, &directory, nullptr) != AJWT_OK ||
        ajwt_authenticator_set_jwks_cache(a, cache, &Directory::jwks_urls, &directory, nullptr) != AJWT_OK)
        throw std::runtime_error("authenticator setup");
    return auth;
}

ajwt_status authenticate(const ajwt_authenticator* auth, const ajwt_key* key, int64_t now) {
    static std::atomic<int> counter{0};
    const std::string header = "JWT " + sign(key, "alice", now, "n" + std::to_string(++counter));
    return ajwt_authenticate(auth, header.data(), header.size(), now, nullptr, nullptr, nullptr);
}

}  // namespace

TEST(CapiJwks, AuthenticatorTakesKeysFromTrustedUrlsAndPicksUpRotation) {
    Cache cache = new_cache();
    FakeEndpoint endpoint;
    Key a = generate(AJWT_KEY_ED25519);
    Key b = generate(AJWT_KEY_ED25519);
    endpoint.body = jwks_of({a.get()});
    ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &FakeEndpoint::get, &endpoint, nullptr, nullptr));
    ASSERT_OK(ajwt_jwks_cache_set_refresh_mode(cache.get(), AJWT_JWKS_REFRESH_INLINE, nullptr));
    Directory directory;
    directory.urls = {"https://other.example/jwks.json", "https://issuer.example/jwks.json"};
    Auth auth = jwks_authenticator(directory, cache.get());
    Cache released(cache.release());  // the authenticator keeps its own reference
    released.reset();

    EXPECT_STATUS(AJWT_OK, authenticate(auth.get(), a.get(), kT0));
    EXPECT_EQ(endpoint.gets, 2);  // one per URL (the fake serves both)
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, authenticate(auth.get(), b.get(), kT0 + 1));  // cooling down
    EXPECT_EQ(endpoint.gets, 2);
    endpoint.body = jwks_of({b.get()});
    EXPECT_STATUS(AJWT_OK, authenticate(auth.get(), b.get(), kT0 + AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN));
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY,
                  authenticate(auth.get(), a.get(), kT0 + AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN + 1));
    // Another user trusts no URL
    directory.username = "bob";
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, authenticate(auth.get(), b.get(), kT0 + 100));
}

TEST(CapiJwks, AuthenticatorFailsClosedWhenEndpointsFailOrUrlsCallbackFails) {
    Cache cache = new_cache();
    FakeEndpoint endpoint;
    endpoint.status = 0;
    ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &FakeEndpoint::get, &endpoint, nullptr, nullptr));
    Directory directory;
    directory.urls = {"https://down.example/jwks.json"};
    Auth auth = jwks_authenticator(directory, cache.get());
    Key a = generate(AJWT_KEY_ED25519);
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, authenticate(auth.get(), a.get(), kT0));
    directory.urls.assign(AJWT_JWKS_MAX_URLS_PER_USER + 1, "https://x/");
    EXPECT_STATUS(AJWT_ERR_CALLBACK_FAILED, authenticate(auth.get(), a.get(), kT0));
    ASSERT_OK(ajwt_authenticator_set_jwks_cache(auth.get(), nullptr, nullptr, nullptr, nullptr));
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, authenticate(auth.get(), a.get(), kT0));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_authenticator_set_jwks_cache(auth.get(), cache.get(), nullptr, nullptr, nullptr));
}

// ---- real HTTP over loopback ----
namespace {

// A one-thread HTTP/1.1 server on 127.0.0.1 serving `document` at any path, one request per
// connection, counting requests.
class LoopbackServer {
public:
    LoopbackServer() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (listener_ < 0) throw std::runtime_error("socket");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(listener_, 16) != 0)
            throw std::runtime_error("bind/listen");
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~LoopbackServer() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        thread_.join();
        ::close(listener_);
    }
    void publish(std::string document) {
        std::lock_guard<std::mutex> lock(mutex_);
        document_ = std::move(document);
    }
    int requests() const { return requests_.load(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/.well-known/jwks.json"; }

private:
    void serve() {
        while (!stop_) {
            pollfd p{listener_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const int client = ::accept(listener_, nullptr, nullptr);
            if (client < 0) continue;
            std::string request;
            char buffer[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
                if (n <= 0) break;
                request.append(buffer, static_cast<size_t>(n));
            }
            std::string body;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                body = document_;
            }
            ++requests_;
            const std::string response =
                "HTTP/1.1 200 OK\r\nContent-Type: application/jwk-set+json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
            ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
            ::close(client);
        }
    }
    int listener_ = -1;
    uint16_t port_ = 0;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    std::mutex mutex_;
    std::string document_;
};

// The host's blocking GET: plain http to an IPv4 literal, one deadline for the socket, the
// whole response read until the server closes, body bytes streamed into the library's buffer.
ajwt_status socket_get(void*, const char* url, size_t, uint32_t timeout_ms, size_t, ajwt_http_response* response) {
    unsigned a, b, c, d, port;
    char path[1024] = "/";
    if (std::sscanf(url, "http://%u.%u.%u.%u:%u%1023s", &a, &b, &c, &d, &port, path) < 5)
        return AJWT_ERR_INVALID_ARGUMENT;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return AJWT_ERR_INTERNAL;
    timeval tv{static_cast<time_t>(timeout_ms / 1000), static_cast<suseconds_t>((timeout_ms % 1000) * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl((a << 24) | (b << 16) | (c << 8) | d);
    std::string raw;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const std::string request =
            std::string("GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        char buffer[4096];
        ssize_t n;
        while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) raw.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    const size_t head_end = raw.find("\r\n\r\n");
    int status = 0;
    if (head_end == std::string::npos || std::sscanf(raw.c_str(), "HTTP/1.%*d %d", &status) != 1)
        return AJWT_ERR_CALLBACK_FAILED;  // transport failure
    ajwt_status s = ajwt_http_response_set_status(response, status, nullptr);
    if (s != AJWT_OK) return s;
    const std::string body = raw.substr(head_end + 4);
    return ajwt_http_response_append(response, body.data(), body.size(), nullptr);
}

}  // namespace

TEST(CapiJwks, RealHttpOnLoopbackRotationIsPickedUpAfterTtl) {
    LoopbackServer server;
    Key a = generate(AJWT_KEY_ED25519);
    Key b = generate(AJWT_KEY_EC_P256);
    server.publish(jwks_of({a.get()}));
    Cache cache = new_cache();
    ASSERT_OK(ajwt_jwks_cache_set_ttl(cache.get(), 60, nullptr));
    ASSERT_OK(ajwt_jwks_cache_set_refresh_cooldown(cache.get(), 60, nullptr));
    ASSERT_OK(ajwt_jwks_cache_set_fetch_timeout_ms(cache.get(), 10000, nullptr));
    ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &socket_get, nullptr, nullptr, nullptr));
    Directory directory;
    directory.urls = {server.url()};
    Auth auth = jwks_authenticator(directory, cache.get());

    EXPECT_STATUS(AJWT_OK, authenticate(auth.get(), a.get(), kT0));
    EXPECT_EQ(server.requests(), 1);
    server.publish(jwks_of({b.get()}));  // rotated: a removed, b added
    // Within the TTL and cooldown: the cached set answers, nothing is fetched
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, authenticate(auth.get(), b.get(), kT0 + 59));
    EXPECT_STATUS(AJWT_OK, authenticate(auth.get(), a.get(), kT0 + 59));
    EXPECT_EQ(server.requests(), 1);
    // TTL reached: the stale set is served and the refresh thread fetches the rotated one
    EXPECT_STATUS(AJWT_OK, authenticate(auth.get(), a.get(), kT0 + 60));
    ajwt_jwks_cache_wait_idle(cache.get());
    EXPECT_EQ(server.requests(), 2);
    EXPECT_STATUS(AJWT_OK, authenticate(auth.get(), b.get(), kT0 + 61));
    EXPECT_STATUS(AJWT_ERR_NO_MATCHING_KEY, authenticate(auth.get(), a.get(), kT0 + 61));
    EXPECT_EQ(server.requests(), 2);
}

namespace {
ajwt_status bad_status_then_ok(void* user_data, const char*, size_t, uint32_t, size_t, ajwt_http_response* response) {
    *static_cast<ajwt_status*>(user_data) = ajwt_http_response_set_status(response, 42, nullptr);
    return AJWT_OK;  // and no status set
}
}  // namespace

TEST(CapiJwks, CallbackAndStoreMisuseIsAFailedFetch) {
    Cache cache = new_cache();
    ajwt_status set_status = AJWT_OK;
    ASSERT_OK(ajwt_jwks_cache_set_http_get(cache.get(), &bad_status_then_ok, &set_status, nullptr, nullptr));
    Keyset out = new_keyset();
    Err err;
    EXPECT_STATUS(AJWT_ERR_JWKS_FETCH,
                  ajwt_jwks_cache_keys(cache.get(), "https://a/", 10, nullptr, 0, kT0, out.get(), err.get()));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, set_status);
    EXPECT_NE(err.message().find("without a status"), std::string::npos) << err.message();
    // Async store of a body over the cap
    ASSERT_OK(ajwt_jwks_cache_set_max_body_size(cache.get(), 10, nullptr));
    EXPECT_EQ(ajwt_jwks_cache_max_body_size(cache.get()), 10u);
    const std::string body = "{\"keys\": []}";
    EXPECT_STATUS(AJWT_ERR_JWKS_PARSE,
                  ajwt_jwks_cache_store(cache.get(), "https://b/", 10, 200, body.data(), body.size(), kT0, err.get()));
    EXPECT_NE(err.message().find("larger than 10"), std::string::npos) << err.message();
}
