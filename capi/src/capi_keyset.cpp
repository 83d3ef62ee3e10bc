// Key sets (JWKS).
#include "capi_internal.hpp"
#include "key_io.hpp"

using ajwt_capi::bytes;
using ajwt_capi::guard;
using ajwt_capi::invalid_argument;
using ajwt_capi::output;
using ajwt_capi::require;

extern "C" {

ajwt_status ajwt_keyset_new(ajwt_keyset** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_keyset*& result = output(out, "out");  // checked before anything is allocated
        result = new ajwt_keyset();
    });
}

ajwt_status ajwt_keyset_parse_jwks(const char* json, size_t json_len, ajwt_keyset** out, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_keyset*& result = output(out, "out");
        std::string_view input = bytes(json, json_len, "json");
        std::unique_ptr<ajwt_keyset> set(new ajwt_keyset());
        set->set->add_jwks(input);
        set->sync();
        result = set.release();
    });
}

void ajwt_keyset_free(ajwt_keyset* set) { delete set; }

ajwt_status ajwt_keyset_add(ajwt_keyset* set, const ajwt_key* key, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_keyset& s = require(set, "set");
        const ajwt_key& k = require(key, "key");
        s.set->add(k.key);
        s.sync();
    });
}

ajwt_status ajwt_keyset_add_text(ajwt_keyset* set, const char* text, size_t text_len, ajwt_key_format format,
                                 ajwt_error* err) {
    return guard(err, [&] {
        ajwt_keyset& s = require(set, "set");
        std::string_view input = bytes(text, text_len, "text");
        if (!ajwt_capi::enum_in(format, AJWT_FORMAT_ANY, AJWT_FORMAT_JWK))
            invalid_argument("unknown key format " + std::to_string(ajwt_capi::enum_value(format)));
        s.set->add(ajwt::load_public_key_cached(input, format));
        s.sync();
    });
}

ajwt_status ajwt_keyset_add_jwks(ajwt_keyset* set, const char* json, size_t json_len, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_keyset& s = require(set, "set");
        std::string_view input = bytes(json, json_len, "json");
        // Members already added before a failure stay; give them handles either way.
        try {
            s.set->add_jwks(input);
        } catch (...) {
            s.sync();
            throw;
        }
        s.sync();
    });
}

size_t ajwt_keyset_count(const ajwt_keyset* set) { return set ? set->set->keys().size() : 0; }

const ajwt_key* ajwt_keyset_get(const ajwt_keyset* set, size_t index) {
    if (set == nullptr || index >= set->handles.size()) return nullptr;
    return set->handles[index].get();
}

const ajwt_key* ajwt_keyset_find(const ajwt_keyset* set, const char* kid, size_t kid_len) {
    if (set == nullptr || kid == nullptr) return nullptr;
    return set->handle_of(set->set->find(std::string_view(kid, kid_len)));
}

size_t ajwt_keyset_skipped_count(const ajwt_keyset* set) { return set ? set->set->skipped().size() : 0; }

const char* ajwt_keyset_skipped_reason(const ajwt_keyset* set, size_t index) {
    if (set == nullptr || index >= set->set->skipped().size()) return nullptr;
    return set->set->skipped()[index].c_str();
}

ajwt_status ajwt_keyset_to_jwks(const ajwt_keyset* set, char** out, size_t* out_len, ajwt_error* err) {
    return guard(err, [&] {
        ajwt_capi::byte_output(out, out_len);
        ajwt_capi::give_bytes(require(set, "set").set->to_jwks(), out, out_len);
    });
}

}  // extern "C"
