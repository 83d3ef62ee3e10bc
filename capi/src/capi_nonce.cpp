// Nonce stores: the built-in memory store and host callback stores.
#include "capi_internal.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

namespace {

// Owns the host's user_data: `destroy` runs when the last copy of the callback (and so the
// last reference to the store) goes away.
class HostNonceCallback {
public:
    HostNonceCallback(ajwt_nonce_callback callback, void* user_data, void (*destroy)(void*))
        : callback_(callback), user_data_(user_data), destroy_(destroy) {}
    HostNonceCallback(const HostNonceCallback&) = delete;
    HostNonceCallback& operator=(const HostNonceCallback&) = delete;
    ~HostNonceCallback() {
        if (destroy_) destroy_(user_data_);
    }

    // Hands user_data over: from now on `destroy` runs when the store goes away.
    void take_ownership(void (*destroy)(void*)) noexcept { destroy_ = destroy; }

    ajwt_status operator()(std::string_view username, int64_t time, std::string_view nonce) const {
        const ajwt_status status =
            callback_(user_data_, username.data(), username.size(), time, nonce.data(), nonce.size());
        const long long value = ajwt_capi::enum_value(status);  // the host may return any int
        if (value == AJWT_OK) return AJWT_OK;
        if (value == AJWT_ERR_NONCE_REPLAYED) return AJWT_ERR_NONCE_REPLAYED;
        throw ajwt::CallbackError(AJWT_ERR_CALLBACK_FAILED,
                                  "nonce callback returned " + ajwt_capi::status_text(status));
    }

private:
    ajwt_nonce_callback callback_;
    void* user_data_;
    void (*destroy_)(void*);
};

}  // namespace

extern "C" {

int64_t ajwt_default_nonce_ttl(void) { return AJWT_DEFAULT_NONCE_TTL; }
size_t ajwt_default_nonce_max_entries(void) { return AJWT_DEFAULT_NONCE_MAX_ENTRIES; }
size_t ajwt_nonce_store_max_input(void) { return AJWT_NONCE_STORE_MAX_INPUT; }

ajwt_status ajwt_nonce_store_new_memory(int64_t ttl_seconds, size_t max_entries, ajwt_nonce_store** out,
                                        ajwt_error* err) {
    return ajwt_nonce_store_new_memory_with_user_cap(ttl_seconds, max_entries, 0, out, err);
}

ajwt_status ajwt_nonce_store_new_memory_with_user_cap(int64_t ttl_seconds, size_t max_entries,
                                                      size_t max_entries_per_user, ajwt_nonce_store** out,
                                                      ajwt_error* err) {
    return guard(err, [&] {
        ajwt_nonce_store*& result = output(out, "out");
        result = new ajwt_nonce_store{ajwt::make_memory_nonce_store(ttl_seconds, max_entries, max_entries_per_user)};
    });
}

ajwt_status ajwt_nonce_store_new_callback(ajwt_nonce_callback check_and_record, void* user_data,
                                          void (*destroy)(void* user_data), ajwt_nonce_store** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_nonce_store*& result = output(out, "out");
        if (check_and_record == nullptr) invalid_argument("check_and_record is NULL");
        // Until the store owns it, a failure must not call `destroy`: the caller keeps user_data.
        auto host = std::make_shared<HostNonceCallback>(check_and_record, user_data, nullptr);
        auto store =
            ajwt::make_callback_nonce_store([host](std::string_view username, int64_t time, std::string_view nonce) {
                return (*host)(username, time, nonce);
            });
        auto handle = std::unique_ptr<ajwt_nonce_store>(new ajwt_nonce_store{std::move(store)});
        host->take_ownership(destroy);
        result = handle.release();
    });
}

void ajwt_nonce_store_free(ajwt_nonce_store* store) { delete store; }

ajwt_status ajwt_nonce_store_check_and_record(ajwt_nonce_store* store, const char* username, size_t username_len,
                                              int64_t time, const char* nonce, size_t nonce_len, int64_t now,
                                              ajwt_error* err) {
    return guard(err, [&] {
        ajwt_nonce_store& s = require(store, "store");
        std::string_view user = bytes(username, username_len, "username");
        std::string_view value = bytes(nonce, nonce_len, "nonce");
        s.store->check_and_record(user, time, value, now);
    });
}

size_t ajwt_nonce_store_size(const ajwt_nonce_store* store) {
    if (store == nullptr) return 0;
    try {
        return store->store->size();
    } catch (...) {
        return 0;
    }
}

}  // extern "C"
