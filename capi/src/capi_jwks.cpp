// JWKS key source: the cache and its policy (core/jwks_cache), the host's HTTP GET, and the
// authenticator's hook.
#include <limits>

#include "capi_internal.hpp"
#include "jwks_cache.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

struct ajwt_jwks_cache {
    std::shared_ptr<ajwt::JwksCache> cache;
};

struct ajwt_http_response {
    ajwt::HttpResponse& response;
};

struct ajwt_jwks_url_list {
    std::vector<std::string> urls;
};

namespace {

std::optional<std::string_view> optional_kid(const char* kid, size_t kid_len) {
    if (kid == nullptr) {
        if (kid_len != 0) invalid_argument("kid is NULL with a non-zero length");
        return std::nullopt;
    }
    return std::string_view(kid, kid_len);
}

void check_range(long long value, long long lo, long long hi, const char* what) {
    if (value < lo || value > hi)
        invalid_argument(std::string(what) + " must be " + std::to_string(lo) + ".." + std::to_string(hi));
}

ajwt_status set_policy(ajwt_jwks_cache* cache, ajwt_error* err, const std::function<void(ajwt::JwksPolicy&)>& change) {
    return guard(err, [&] { require(cache, "cache").cache->update_policy(change); });
}

// Calls the host's GET and holds its user_data until the last copy of the function goes.
class HostGet {
public:
    HostGet(ajwt_http_get_callback get, void* user_data, void (*destroy)(void*))
        : get_(get), user_data_(user_data), destroy_(destroy) {}
    HostGet(const HostGet&) = delete;
    HostGet& operator=(const HostGet&) = delete;
    ~HostGet() {
        if (destroy_) destroy_(user_data_);
    }

    void operator()(const std::string& url, uint32_t timeout_ms, size_t max_body_size,
                    ajwt::HttpResponse& response) const {
        ajwt_http_response handle{response};
        const ajwt_status status = get_(user_data_, url.c_str(), url.size(), timeout_ms, max_body_size, &handle);
        if (ajwt_capi::enum_value(status) != AJWT_OK) {
            if (!response.too_large()) response.fail("HTTP GET callback returned " + ajwt_capi::status_text(status));
            return;
        }
        if (response.status() == 0) response.fail("HTTP GET callback returned AJWT_OK without a status");
    }

private:
    ajwt_http_get_callback get_;
    void* user_data_;
    void (*destroy_)(void*);
};

}  // namespace

extern "C" {

ajwt_status ajwt_jwks_cache_new(ajwt_jwks_cache** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_jwks_cache*& result = output(out, "out");
        result = new ajwt_jwks_cache{std::make_shared<ajwt::JwksCache>()};
    });
}

void ajwt_jwks_cache_free(ajwt_jwks_cache* cache) { delete cache; }

ajwt_status ajwt_jwks_cache_set_ttl(ajwt_jwks_cache* cache, int64_t seconds, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        check_range(seconds, 1, 2592000, "ttl");
        p.ttl = seconds;
    });
}

ajwt_status ajwt_jwks_cache_set_max_age(ajwt_jwks_cache* cache, int64_t seconds, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        check_range(seconds, 1, 31536000, "max_age");
        p.max_age = seconds;
    });
}

ajwt_status ajwt_jwks_cache_set_refresh_cooldown(ajwt_jwks_cache* cache, int64_t seconds, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        // At least 1 s: a host retrying FETCH_NOW at one `now` cannot spin on a dead endpoint
        check_range(seconds, 1, 86400, "refresh cooldown");
        p.refresh_cooldown = seconds;
    });
}

ajwt_status ajwt_jwks_cache_set_fetch_timeout_ms(ajwt_jwks_cache* cache, uint32_t timeout_ms, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        check_range(timeout_ms, 1, 600000, "fetch timeout (ms)");
        p.fetch_timeout_ms = timeout_ms;
    });
}

ajwt_status ajwt_jwks_cache_set_max_body_size(ajwt_jwks_cache* cache, size_t max_bytes, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        if (max_bytes < 1 || max_bytes > ajwt::kMaxJwksSize)
            invalid_argument("max body size must be 1.." + std::to_string(ajwt::kMaxJwksSize));
        p.max_body_size = max_bytes;
    });
}

ajwt_status ajwt_jwks_cache_set_max_keys(ajwt_jwks_cache* cache, size_t max_keys, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        if (max_keys < 1 || max_keys > ajwt::kMaxJwksMembers)
            invalid_argument("max keys must be 1.." + std::to_string(ajwt::kMaxJwksMembers));
        p.max_keys = max_keys;
    });
}

ajwt_status ajwt_jwks_cache_set_max_entries(ajwt_jwks_cache* cache, size_t max_entries, ajwt_error* err) {
    return set_policy(cache, err, [&](ajwt::JwksPolicy& p) {
        if (max_entries < 1) invalid_argument("max entries must be at least 1");
        p.max_entries = max_entries;
    });
}

uint32_t ajwt_jwks_cache_fetch_timeout_ms(const ajwt_jwks_cache* cache) {
    return cache ? cache->cache->policy().fetch_timeout_ms : 0;
}

size_t ajwt_jwks_cache_max_body_size(const ajwt_jwks_cache* cache) {
    return cache ? cache->cache->policy().max_body_size : 0;
}

size_t ajwt_jwks_cache_size(const ajwt_jwks_cache* cache) { return cache ? cache->cache->size() : 0; }

ajwt_status ajwt_jwks_cache_lookup(ajwt_jwks_cache* cache, const char* url, size_t url_len, const char* kid,
                                   size_t kid_len, int64_t now, ajwt_keyset* out, ajwt_jwks_action* action,
                                   ajwt_error* err) {
    return guard(err, [&] {
        if (action == nullptr) invalid_argument("action is NULL");
        *action = AJWT_JWKS_NONE;
        ajwt_jwks_cache& c = require(cache, "cache");
        ajwt_keyset& set = require(out, "out");
        const std::string_view u = bytes(url, url_len, "url");
        const auto k = optional_kid(kid, kid_len);
        const ajwt::JwksAction result = c.cache->lookup(u, k, now, *set.set);
        set.sync();
        *action = static_cast<ajwt_jwks_action>(result);
    });
}

ajwt_status ajwt_jwks_cache_store(ajwt_jwks_cache* cache, const char* url, size_t url_len, int http_status,
                                  const char* body, size_t body_len, int64_t now, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_jwks_cache& c = require(cache, "cache");
        const std::string_view u = bytes(url, url_len, "url");
        const std::string_view b = bytes(body, body_len, "body");
        if (http_status != 0 && (http_status < 100 || http_status > 599))
            invalid_argument("http_status must be 0 (transport failure) or 100..599");
        const size_t max_body = c.cache->policy().max_body_size;
        ajwt::HttpResponse response(max_body);
        if (http_status == 0) {
            response.fail("transport failure reported by the host");
        } else {
            response.set_status(http_status);
            if (http_status == 200) {
                try {
                    response.append(b);
                } catch (const ajwt::KeyError&) {
                    // recorded as too large; store() records the failed fetch and says why
                }
            }
        }
        c.cache->store(u, response, now);
    });
}

ajwt_status ajwt_http_response_set_status(ajwt_http_response* response, int http_status, ajwt_error* err) {
    return guard(err, [&] { require(response, "response").response.set_status(http_status); });
}

ajwt_status ajwt_http_response_append(ajwt_http_response* response, const char* data, size_t data_len,
                                      ajwt_error* err) {
    return guard(err, [&] {
        ajwt_http_response& r = require(response, "response");
        r.response.append(bytes(data, data_len, "data"));
    });
}

ajwt_status ajwt_jwks_cache_set_http_get(ajwt_jwks_cache* cache, ajwt_http_get_callback get, void* user_data,
                                         void (*destroy)(void* user_data), ajwt_error* err) {
    return guard(err, [&] {
        ajwt_jwks_cache& c = require(cache, "cache");
        if (get == nullptr) {
            c.cache->set_http_get(nullptr);
            if (destroy) destroy(user_data);
            return;
        }
        auto host = std::make_shared<HostGet>(get, user_data, destroy);
        c.cache->set_http_get(
            [host](const std::string& url, uint32_t timeout_ms, size_t max_body_size, ajwt::HttpResponse& response) {
                (*host)(url, timeout_ms, max_body_size, response);
            });
    });
}

ajwt_status ajwt_jwks_cache_set_refresh_mode(ajwt_jwks_cache* cache, ajwt_jwks_refresh_mode mode, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_jwks_cache& c = require(cache, "cache");
        if (!ajwt_capi::enum_in(mode, AJWT_JWKS_REFRESH_THREAD, AJWT_JWKS_REFRESH_INLINE))
            invalid_argument("unknown refresh mode " + std::to_string(ajwt_capi::enum_value(mode)));
        c.cache->set_refresh_mode(static_cast<ajwt::JwksRefreshMode>(ajwt_capi::enum_value(mode)));
    });
}

ajwt_status ajwt_jwks_cache_keys(ajwt_jwks_cache* cache, const char* url, size_t url_len, const char* kid,
                                 size_t kid_len, int64_t now, ajwt_keyset* out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_jwks_cache& c = require(cache, "cache");
        ajwt_keyset& set = require(out, "out");
        const std::string_view u = bytes(url, url_len, "url");
        const auto k = optional_kid(kid, kid_len);
        c.cache->keys(u, k, now, *set.set);
        set.sync();
    });
}

void ajwt_jwks_cache_wait_idle(ajwt_jwks_cache* cache) {
    if (cache == nullptr) return;
    try {
        cache->cache->wait_idle();
    } catch (...) {
        // waiting on a condition variable does not fail in practice; never unwind into C
    }
}

ajwt_status ajwt_jwks_url_list_add(ajwt_jwks_url_list* list, const char* url, size_t url_len, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_jwks_url_list& l = require(list, "list");
        const std::string_view u = bytes(url, url_len, "url");
        if (u.empty() || u.size() > ajwt::kMaxJwksUrlLength)
            invalid_argument("JWKS URL must be 1.." + std::to_string(ajwt::kMaxJwksUrlLength) + " bytes");
        if (l.urls.size() >= AJWT_JWKS_MAX_URLS_PER_USER)
            invalid_argument("more than " + std::to_string(AJWT_JWKS_MAX_URLS_PER_USER) + " JWKS URLs for one user");
        l.urls.emplace_back(u);
    });
}

ajwt_status ajwt_authenticator_set_jwks_cache(ajwt_authenticator* auth, ajwt_jwks_cache* cache,
                                              ajwt_user_jwks_urls_callback urls, void* user_data, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_authenticator& a = require(auth, "auth");
        if (cache == nullptr) {
            a.authenticator->repository().jwks_cache_keys = nullptr;
            return;
        }
        if (urls == nullptr) invalid_argument("urls callback is NULL");
        std::shared_ptr<ajwt::JwksCache> shared = cache->cache;
        a.authenticator->repository().jwks_cache_keys = [shared, urls, user_data](std::string_view username,
                                                                                  const std::string& kid, int64_t now,
                                                                                  ajwt::KeySet& out) {
            ajwt_jwks_url_list list;
            const ajwt_status status = urls(user_data, username.data(), username.size(), &list);
            if (ajwt_capi::enum_value(status) != AJWT_OK)
                throw ajwt::CallbackError(AJWT_ERR_CALLBACK_FAILED,
                                          "jwks urls callback returned " + ajwt_capi::status_text(status));
            for (const std::string& url : list.urls) {
                try {
                    shared->keys(url, std::string_view(kid), now, out);
                } catch (const ajwt::Error& e) {
                    // An endpoint that fails adds no key; the token then finds none
                    if (e.status() != AJWT_ERR_JWKS_FETCH && e.status() != AJWT_ERR_JWKS_PARSE) throw;
                }
            }
        };
    });
}

}  // extern "C"
