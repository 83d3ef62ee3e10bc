// Authenticator: the whole server-side flow over host repository callbacks.
#include "capi_internal.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

namespace {

[[noreturn]] void callback_failed(const char* which, const ajwt_status& status) {
    throw ajwt::CallbackError(AJWT_ERR_CALLBACK_FAILED,
                              std::string(which) + " callback returned " + ajwt_capi::status_text(status));
}

std::function<bool(std::string_view)> wrap_user_exists(ajwt_user_exists_callback cb, void* user_data) {
    if (cb == nullptr) return {};
    return [cb, user_data](std::string_view username) {
        const ajwt_status status = cb(user_data, username.data(), username.size());
        const long long value = ajwt_capi::enum_value(status);  // the host may return any int
        if (value == AJWT_OK) return true;
        if (value == AJWT_ERR_UNKNOWN_USER) return false;
        callback_failed("user_exists", status);
    };
}

using KeysFunction = std::function<void(std::string_view, const std::optional<std::string>&, ajwt::KeySet&)>;

KeysFunction wrap_user_keys(ajwt_user_keys_callback cb, void* user_data, const char* which) {
    if (cb == nullptr) return {};
    return [cb, user_data, which](std::string_view username, const std::optional<std::string>& kid, ajwt::KeySet& out) {
        // The callback fills the core's set through a handle viewing it.
        ajwt_keyset view(out);
        const ajwt_status status =
            cb(user_data, username.data(), username.size(), kid ? kid->c_str() : nullptr, kid ? kid->size() : 0, &view);
        if (ajwt_capi::enum_value(status) != AJWT_OK) callback_failed(which, status);
    };
}

std::function<void(std::string_view, const ajwt::KeyPtr&)> wrap_key_used(ajwt_key_used_callback cb, void* user_data) {
    if (cb == nullptr) return {};
    return [cb, user_data](std::string_view username, const ajwt::KeyPtr& key) {
        const ajwt_key handle{key};
        cb(user_data, username.data(), username.size(), &handle);
    };
}

}  // namespace

extern "C" {

ajwt_status ajwt_authenticator_new(const ajwt_verifier* verifier, ajwt_authenticator** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_authenticator*& result = output(out, "out");
        const ajwt_verifier& v = require(verifier, "verifier");
        result = new ajwt_authenticator{std::make_shared<ajwt::Authenticator>(v.verifier, ajwt::Repository{})};
    });
}

void ajwt_authenticator_free(ajwt_authenticator* auth) { delete auth; }

ajwt_status ajwt_authenticator_set_method(ajwt_authenticator* auth, const char* method, size_t method_len,
                                          ajwt_error* err) {
    return guard(err, [&] {
        ajwt_authenticator& a = require(auth, "auth");
        a.authenticator->set_method(std::string(bytes(method, method_len, "method")));
    });
}

ajwt_status ajwt_authenticator_set_user_exists(ajwt_authenticator* auth, ajwt_user_exists_callback cb, void* user_data,
                                               ajwt_error* err) {
    return guard(
        err, [&] { require(auth, "auth").authenticator->repository().user_exists = wrap_user_exists(cb, user_data); });
}

ajwt_status ajwt_authenticator_set_user_keys(ajwt_authenticator* auth, ajwt_user_keys_callback cb, void* user_data,
                                             ajwt_error* err) {
    return guard(err, [&] {
        ajwt_authenticator& a = require(auth, "auth");
        if (cb == nullptr) invalid_argument("the user_keys callback is required");
        a.authenticator->repository().user_keys = wrap_user_keys(cb, user_data, "user_keys");
    });
}

ajwt_status ajwt_authenticator_set_user_jwks(ajwt_authenticator* auth, ajwt_user_keys_callback cb, void* user_data,
                                             ajwt_error* err) {
    return guard(err, [&] {
        require(auth, "auth").authenticator->repository().user_jwks = wrap_user_keys(cb, user_data, "user_jwks");
    });
}

ajwt_status ajwt_authenticator_set_key_used(ajwt_authenticator* auth, ajwt_key_used_callback cb, void* user_data,
                                            ajwt_error* err) {
    return guard(err,
                 [&] { require(auth, "auth").authenticator->repository().key_used = wrap_key_used(cb, user_data); });
}

namespace {

ajwt_status authenticate(const ajwt_authenticator* auth, const char* header, size_t header_len, int64_t now,
                         const ajwt::RequestDetails* request, ajwt_token** token_out, ajwt_key** key_out,
                         ajwt_error* err) {
    return guard(err, [&] {
        if (token_out) *token_out = nullptr;
        if (key_out) *key_out = nullptr;
        const ajwt_authenticator& a = require(auth, "auth");
        const std::string_view text = ajwt_capi::header_text(header, header_len);
        ajwt_capi::give_authentication(a.authenticator->authenticate(text, now, request), token_out, key_out);
    });
}

}  // namespace

ajwt_status ajwt_authenticate(const ajwt_authenticator* auth, const char* header, size_t header_len, int64_t now,
                              ajwt_token** token_out, ajwt_key** key_out, ajwt_error* err) {
    return authenticate(auth, header, header_len, now, nullptr, token_out, key_out, err);
}

ajwt_status ajwt_authenticate_request(const ajwt_authenticator* auth, const char* header, size_t header_len,
                                      int64_t now, const char* method, size_t method_len, const char* target,
                                      size_t target_len, const uint8_t* body_digest, ajwt_token** token_out,
                                      ajwt_key** key_out, ajwt_error* err) {
    ajwt::RequestDetails request;
    const ajwt_status status =
        guard(err, [&] { request = ajwt_capi::request_details(method, method_len, target, target_len, body_digest); });
    if (status != AJWT_OK) {
        if (token_out) *token_out = nullptr;
        if (key_out) *key_out = nullptr;
        return status;
    }
    return authenticate(auth, header, header_len, now, &request, token_out, key_out, err);
}

}  // extern "C"
