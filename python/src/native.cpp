// asymmetric_jwt_auth._native — the pybind11 module over libajwt's public C ABI.
//
// Everything here goes through ajwt.h (via the RAII wrapper ajwt.hpp), so the Python test
// suite exercises the same ABI every other language uses. Cryptography, token encoding and
// decoding, claim checks and the time window all happen in the library; Python supplies the
// clock and records nonces with its own backend once the library accepted a token.
//
// The GIL is released around work that can take time (key generation and loading, signing,
// verification). A nonce callback, when a Verifier is given one, re-acquires it to call back
// into Python.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "ajwt.hpp"

namespace py = pybind11;
using ajwt_cpp::Key;
using ajwt_cpp::KeySet;
using ajwt_cpp::Token;

namespace {

// Python exception class for a status: the classes live in asymmetric_jwt_auth.exceptions so
// that they can also derive from ValueError / TypeError as the upstream package's errors did.
py::object exception_class_for(ajwt_status status) {
    py::module_ exceptions = py::module_::import("asymmetric_jwt_auth.exceptions");
    return exceptions.attr("exception_class_for_status")(static_cast<int>(status));
}

// Library messages are English text, but never let a stray byte turn into a decode error.
py::str lenient_str(const std::string& text) {
    PyObject* obj = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
    if (!obj) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(obj);
}

void raise_for(const ajwt_cpp::Error& e) {
    try {
        py::object cls = exception_class_for(e.status());
        py::object exc = cls(lenient_str(e.what()), static_cast<int>(e.status()));
        PyErr_SetObject(cls.ptr(), exc.ptr());
    } catch (py::error_already_set&) {
        // The package's exception classes are unavailable (module used on its own): plain ValueError.
        PyErr_SetString(PyExc_ValueError, e.what());
    }
}

std::optional<std::string> optional_bytes(const py::object& value) {
    if (value.is_none()) return std::nullopt;
    return value.cast<std::string>();
}

py::object optional_str(const std::optional<std::string>& value) {
    if (!value) return py::none();
    return py::str(*value);
}

py::object alg_or_none(ajwt_alg alg) {
    const std::string name = ajwt_cpp::alg_name(alg);
    if (name.empty()) return py::none();
    return py::str(name);
}

ajwt_alg alg_from_python(const py::object& alg) {
    if (alg.is_none()) return AJWT_ALG_UNKNOWN;
    const std::string name = alg.cast<std::string>();
    const ajwt_alg value = ajwt_cpp::alg_from_name(name);
    if (value == AJWT_ALG_UNKNOWN) throw ajwt_cpp::Error(AJWT_ERR_ALGORITHM_NOT_ALLOWED, "unknown algorithm: " + name);
    return value;
}

py::list algorithm_names(const std::vector<ajwt_alg>& algs) {
    py::list names;
    for (ajwt_alg alg : algs) names.append(py::str(ajwt_cpp::alg_name(alg)));
    return names;
}

// Shared ownership so that Python objects (Key, KeySet, Verifier) can be handed around freely.
using KeyPtr = std::shared_ptr<Key>;
using TokenPtr = std::shared_ptr<Token>;
using KeySetPtr = std::shared_ptr<KeySet>;

// ---- nonce callback ---------------------------------------------------------------------

// Holds the Python callable for a callback nonce store. Freed by the library's destroy hook.
struct NonceCallbackContext {
    py::object callable;
};

// Called by the library (GIL released) during verification.
ajwt_status nonce_trampoline(void* user_data, const char* username, size_t username_len, int64_t time,
                             const char* nonce, size_t nonce_len) noexcept {
    auto* ctx = static_cast<NonceCallbackContext*>(user_data);
    try {
        py::gil_scoped_acquire gil;
        try {
            py::object result = ctx->callable(py::str(username, username_len), time, py::str(nonce, nonce_len));
            return py::cast<bool>(result) ? AJWT_OK : AJWT_ERR_NONCE_REPLAYED;
        } catch (py::error_already_set& e) {
            // The Python side records its own exceptions before they get here (see tokens.py);
            // anything left is reported as unraisable rather than lost or thrown through C.
            e.discard_as_unraisable("asymmetric_jwt_auth nonce callback");
            return AJWT_ERR_CALLBACK_FAILED;
        }
    } catch (...) {
        return AJWT_ERR_CALLBACK_FAILED;
    }
}

void nonce_context_destroy(void* user_data) noexcept {
    auto* ctx = static_cast<NonceCallbackContext*>(user_data);
    if (!Py_IsInitialized()) {
        // The interpreter is gone: releasing the object now would crash; the process is exiting.
        return;
    }
    try {
        py::gil_scoped_acquire gil;
        delete ctx;
    } catch (...) {}
}

// ---- verifier ---------------------------------------------------------------------------

// Python's clock is fractional (time.time()), as 1.x's: ajwt_verify_at compares it exactly with
// the token's time (now - tolerance <= time <= now + tolerance) and its registered claims.
void check_clock(double clock) {
    if (!std::isfinite(clock) || std::fabs(clock) > 9.0e18) {
        throw py::value_error("the clock must be a finite number of seconds");
    }
}

// "strict" or "1.x" (ajwt_compat).
ajwt_compat compat_from_python(const std::string& name) {
    if (name == "strict") return AJWT_COMPAT_STRICT;
    if (name == "1.x") return AJWT_COMPAT_1X;
    throw py::value_error("compat must be \"strict\" or \"1.x\"");
}

// "off", "when-present" or "required" (ajwt_binding_policy).
ajwt_binding_policy binding_from_python(const std::string& name) {
    if (name == "off") return AJWT_BINDING_OFF;
    if (name == "when-present") return AJWT_BINDING_WHEN_PRESENT;
    if (name == "required") return AJWT_BINDING_REQUIRED;
    throw py::value_error("binding must be \"off\", \"when-present\" or \"required\"");
}

// A configured verifier with an optional Python nonce callback.
class PyVerifier {
public:
    PyVerifier(int64_t tolerance, const py::object& nonce_callback, const py::object& algorithms, size_t max_token_size,
               const std::string& compat, int64_t leeway, const std::string& binding, const py::object& audience) {
        verifier_.set_binding(binding_from_python(binding));
        verifier_.set_audience(optional_bytes(audience));
        verifier_.set_tolerance(tolerance);
        verifier_.set_leeway(leeway);
        verifier_.set_compat(compat_from_python(compat));
        if (!algorithms.is_none()) {
            std::vector<ajwt_alg> algs;
            for (const py::handle item : algorithms)
                algs.push_back(alg_from_python(py::reinterpret_borrow<py::object>(item)));
            verifier_.set_algorithms(algs);
        }
        if (max_token_size) verifier_.set_max_token_size(max_token_size);
        if (!nonce_callback.is_none()) {
            auto* ctx = new NonceCallbackContext{nonce_callback};
            store_.emplace(ajwt_cpp::NonceStore::callback(&nonce_trampoline, ctx, &nonce_context_destroy));
            verifier_.set_nonce_store(&*store_);
        }
    }

    TokenPtr parse(const std::string& text) const {
        py::gil_scoped_release release;
        return std::make_shared<Token>(verifier_.parse(text));
    }

    py::tuple verify(const Token& token, const Key& key, int64_t now) const {
        ajwt_cpp::Result result;
        {
            py::gil_scoped_release release;
            result = verifier_.verify(token, key, now);
        }
        return py::make_tuple(static_cast<int>(result.status), lenient_str(result.message));
    }

    // As verify, against a fractional clock.
    py::tuple verify_at(const Token& token, const Key& key, double clock) const {
        check_clock(clock);
        ajwt_cpp::Result result;
        {
            py::gil_scoped_release release;
            result = verifier_.verify_at(token, key, clock);
        }
        return py::make_tuple(static_cast<int>(result.status), lenient_str(result.message));
    }

    // Parse and verify with the GIL released once: (status, message, the parsed token or None
    // when it is malformed).
    py::tuple parse_and_verify_at(const std::string& text, const Key& key, double clock) const {
        check_clock(clock);
        TokenPtr token;
        ajwt_cpp::Result result;
        {
            py::gil_scoped_release release;
            try {
                token = std::make_shared<Token>(verifier_.parse(text));
            } catch (const ajwt_cpp::Error& e) {
                result.status = e.status();
                result.message = e.what();
            }
            if (token) result = verifier_.verify_at(*token, key, clock);
        }
        py::object parsed = token ? py::cast(token) : py::object(py::none());
        return py::make_tuple(static_cast<int>(result.status), lenient_str(result.message), parsed);
    }

    py::tuple verify_keyset(const Token& token, const KeySet& keys, int64_t now) const {
        ajwt_cpp::Result result;
        std::optional<size_t> used;
        {
            py::gil_scoped_release release;
            result = verifier_.verify(token, keys, now, &used);
        }
        py::object index = used ? py::object(py::int_(*used)) : py::object(py::none());
        return py::make_tuple(static_cast<int>(result.status), lenient_str(result.message), index);
    }

    // The request-binding step alone: (status, message). body_digest: 32 bytes of SHA-256 or None.
    py::tuple check_request_binding(const Token& token, const py::object& method, const py::object& target,
                                    const py::object& body_digest) const {
        const std::optional<std::string> m = optional_bytes(method), t = optional_bytes(target),
                                         d = optional_bytes(body_digest);
        ajwt_cpp::Result result;
        {
            py::gil_scoped_release release;
            result = verifier_.check_request_binding(token, m, t, d);
        }
        return py::make_tuple(static_cast<int>(result.status), lenient_str(result.message));
    }

private:
    ajwt_cpp::Verifier verifier_;
    std::optional<ajwt_cpp::NonceStore> store_;
};

// ---- memory nonce store -------------------------------------------------------------------

class PyMemoryNonceStore {
public:
    PyMemoryNonceStore(int64_t ttl_seconds, size_t max_entries, size_t max_entries_per_user)
        : store_(ajwt_cpp::NonceStore::memory(ttl_seconds, max_entries, max_entries_per_user)) {}

    // (status, message): AJWT_OK when new, AJWT_ERR_NONCE_REPLAYED when seen.
    py::tuple check_and_record(const std::string& username, int64_t time, const std::string& nonce, int64_t now) {
        ajwt_cpp::Result result;
        {
            py::gil_scoped_release release;
            result = store_.check_and_record(username, time, nonce, now);
        }
        return py::make_tuple(static_cast<int>(result.status), lenient_str(result.message));
    }

    size_t size() const { return store_.size(); }

private:
    ajwt_cpp::NonceStore store_;
};

}  // namespace

PYBIND11_MODULE(_native, m) {
    m.doc() = "libajwt through its C ABI: keys, JWKS, signing and verification of asymmetric-jwt-auth tokens";

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const ajwt_cpp::Error& e) {
            raise_for(e);
        }
    });

    m.def("version", &ajwt_cpp::version, "Runtime version of libajwt");
    m.def("status_str", [](int status) { return ajwt_cpp::status_text(static_cast<ajwt_status>(status)); });
    m.def("now", &ajwt_cpp::now, "The system clock in whole seconds (libajwt's ajwt_now)");
    m.attr("DEFAULT_TOLERANCE") = py::int_(ajwt_default_tolerance());
    m.attr("DEFAULT_MAX_TOKEN_SIZE") = py::int_(ajwt_default_max_token_size());

    py::enum_<ajwt_status>(m, "Status")
        .value("OK", AJWT_OK)
        .value("INVALID_ARGUMENT", AJWT_ERR_INVALID_ARGUMENT)
        .value("OUT_OF_MEMORY", AJWT_ERR_OUT_OF_MEMORY)
        .value("INTERNAL", AJWT_ERR_INTERNAL)
        .value("CALLBACK_FAILED", AJWT_ERR_CALLBACK_FAILED)
        .value("KEY_PARSE", AJWT_ERR_KEY_PARSE)
        .value("KEY_UNSUPPORTED", AJWT_ERR_KEY_UNSUPPORTED)
        .value("KEY_TOO_SMALL", AJWT_ERR_KEY_TOO_SMALL)
        .value("KEY_TOO_LARGE", AJWT_ERR_KEY_TOO_LARGE)
        .value("PASSWORD_REQUIRED", AJWT_ERR_PASSWORD_REQUIRED)
        .value("WRONG_PASSWORD", AJWT_ERR_WRONG_PASSWORD)
        .value("ENCRYPTED_OPENSSH_KEY", AJWT_ERR_ENCRYPTED_OPENSSH_KEY)
        .value("NOT_PRIVATE_KEY", AJWT_ERR_NOT_PRIVATE_KEY)
        .value("PRIVATE_KEY_GIVEN", AJWT_ERR_PRIVATE_KEY_GIVEN)
        .value("JWKS_PARSE", AJWT_ERR_JWKS_PARSE)
        .value("JWKS_FETCH", AJWT_ERR_JWKS_FETCH)
        .value("TOKEN_TOO_LARGE", AJWT_ERR_TOKEN_TOO_LARGE)
        .value("TOKEN_FORMAT", AJWT_ERR_TOKEN_FORMAT)
        .value("TOKEN_BASE64", AJWT_ERR_TOKEN_BASE64)
        .value("TOKEN_JSON", AJWT_ERR_TOKEN_JSON)
        .value("TOKEN_HEADER", AJWT_ERR_TOKEN_HEADER)
        .value("TOKEN_CLAIMS", AJWT_ERR_TOKEN_CLAIMS)
        .value("TOKEN_TIME", AJWT_ERR_TOKEN_TIME)
        .value("ALGORITHM_NOT_ALLOWED", AJWT_ERR_ALGORITHM_NOT_ALLOWED)
        .value("BAD_SIGNATURE", AJWT_ERR_BAD_SIGNATURE)
        .value("TOKEN_EXPIRED", AJWT_ERR_TOKEN_EXPIRED)
        .value("TOKEN_FROM_FUTURE", AJWT_ERR_TOKEN_FROM_FUTURE)
        .value("NONCE_REPLAYED", AJWT_ERR_NONCE_REPLAYED)
        .value("NONCE_STORE_FULL", AJWT_ERR_NONCE_STORE_FULL)
        .value("NO_AUTH_HEADER", AJWT_ERR_NO_AUTH_HEADER)
        .value("WRONG_AUTH_METHOD", AJWT_ERR_WRONG_AUTH_METHOD)
        .value("UNKNOWN_USER", AJWT_ERR_UNKNOWN_USER)
        .value("NO_MATCHING_KEY", AJWT_ERR_NO_MATCHING_KEY)
        .value("TOKEN_EXP_PASSED", AJWT_ERR_TOKEN_EXP_PASSED)
        .value("TOKEN_NOT_YET_VALID", AJWT_ERR_TOKEN_NOT_YET_VALID)
        .value("TOKEN_IAT_FUTURE", AJWT_ERR_TOKEN_IAT_FUTURE)
        .value("TOKEN_AUDIENCE", AJWT_ERR_TOKEN_AUDIENCE)
        .value("TOKEN_REGISTERED_CLAIM", AJWT_ERR_TOKEN_REGISTERED_CLAIM)
        .value("BINDING_METHOD", AJWT_ERR_BINDING_METHOD)
        .value("BINDING_TARGET", AJWT_ERR_BINDING_TARGET)
        .value("BINDING_BODY", AJWT_ERR_BINDING_BODY)
        .value("BINDING_AUDIENCE", AJWT_ERR_BINDING_AUDIENCE)
        .value("BINDING_REQUIRED", AJWT_ERR_BINDING_REQUIRED);

    py::enum_<ajwt_key_type>(m, "KeyType")
        .value("RSA", AJWT_KEY_RSA)
        .value("ED25519", AJWT_KEY_ED25519)
        .value("ED448", AJWT_KEY_ED448)
        .value("EC_P256", AJWT_KEY_EC_P256)
        .value("EC_P384", AJWT_KEY_EC_P384)
        .value("EC_P521", AJWT_KEY_EC_P521);

    py::enum_<ajwt_key_format>(m, "KeyFormat")
        .value("ANY", AJWT_FORMAT_ANY)
        .value("PEM", AJWT_FORMAT_PEM)
        .value("OPENSSH", AJWT_FORMAT_OPENSSH)
        .value("JWK", AJWT_FORMAT_JWK);

    py::enum_<ajwt_export_format>(m, "ExportFormat")
        .value("PUBLIC_PEM", AJWT_EXPORT_PUBLIC_PEM)
        .value("PUBLIC_OPENSSH", AJWT_EXPORT_PUBLIC_OPENSSH)
        .value("PUBLIC_JWK", AJWT_EXPORT_PUBLIC_JWK)
        .value("PRIVATE_PKCS8", AJWT_EXPORT_PRIVATE_PKCS8);

    py::class_<Key, KeyPtr>(m, "Key", "A parsed public or private key (immutable, thread-safe)")
        .def_static(
            "load_public",
            [](const std::string& text, ajwt_key_format format) {
                py::gil_scoped_release release;
                return std::make_shared<Key>(Key::load_public(text, format));
            },
            py::arg("text"), py::arg("format") = AJWT_FORMAT_ANY,
            "Parses public key text (cached by text in the library)")
        .def_static(
            "load_private",
            [](const std::string& text, const py::object& password) {
                std::optional<std::string> pw = optional_bytes(password);
                py::gil_scoped_release release;
                return std::make_shared<Key>(Key::load_private(text, pw));
            },
            py::arg("text"), py::arg("password") = py::none())
        .def_static(
            "generate",
            [](ajwt_key_type type, unsigned rsa_bits, uint64_t rsa_exponent) {
                py::gil_scoped_release release;
                return std::make_shared<Key>(Key::generate(type, rsa_bits, rsa_exponent));
            },
            py::arg("type"), py::arg("rsa_bits") = 0, py::arg("rsa_exponent") = 0)
        .def("public_key", [](const Key& self) { return std::make_shared<Key>(self.public_key()); })
        .def_property_readonly("type", &Key::type)
        .def_property_readonly("is_private", &Key::is_private)
        .def_property_readonly("bits", &Key::bits)
        .def_property_readonly("comment", &Key::comment)
        .def_property_readonly("fingerprint", &Key::fingerprint)
        .def_property_readonly("algorithms", [](const Key& self) { return algorithm_names(self.algorithms()); })
        .def("supports",
             [](const Key& self, const std::string& alg) { return self.supports(ajwt_cpp::alg_from_name(alg)); })
        .def(
            "export",
            [](const Key& self, ajwt_export_format format, const py::object& password) {
                std::optional<std::string> pw = optional_bytes(password);
                std::string out;
                {
                    py::gil_scoped_release release;
                    out = self.export_as(format, pw);
                }
                return py::bytes(out);
            },
            py::arg("format"), py::arg("password") = py::none())
        .def("same_public_key", &Key::same_public_key);

    py::class_<Token, TokenPtr>(m, "ParsedToken", "A token parsed once; not verified")
        .def_static(
            "parse",
            [](const std::string& text, size_t max_size) {
                py::gil_scoped_release release;
                return std::make_shared<Token>(Token::parse(text, max_size));
            },
            py::arg("text"), py::arg("max_size") = 0)
        .def_property_readonly("username", &Token::username)
        .def_property_readonly("nonce", &Token::nonce)
        .def_property_readonly("time", &Token::time)
        .def_property_readonly("exact_time", &Token::exact_time)
        .def_property_readonly("alg", [](const Token& self) { return alg_or_none(self.alg()); })
        .def_property_readonly("kid", [](const Token& self) { return optional_str(self.kid()); });

    py::class_<KeySet, KeySetPtr>(m, "KeySet", "A set of public keys, e.g. a parsed JWK Set")
        .def(py::init<>())
        .def_static(
            "parse_jwks",
            [](const std::string& json) {
                py::gil_scoped_release release;
                return std::make_shared<KeySet>(KeySet::parse_jwks(json));
            },
            py::arg("json"))
        .def("add", &KeySet::add, py::arg("key"))
        .def("add_text", &KeySet::add_text, py::arg("text"), py::arg("format") = AJWT_FORMAT_ANY)
        .def("add_jwks", &KeySet::add_jwks, py::arg("json"))
        .def("__len__", &KeySet::size)
        .def(
            "get",
            [](const KeySet& self, size_t index) {
                if (index >= self.size()) throw py::index_error("key set index out of range");
                return std::make_shared<Key>(self.at(index));
            },
            py::arg("index"))
        .def(
            "find",
            [](const KeySet& self, const std::string& kid) -> py::object {
                auto index = self.find(kid);
                if (!index) return py::none();
                return py::int_(*index);
            },
            py::arg("kid"))
        .def_property_readonly("skipped", &KeySet::skipped)
        .def("to_jwks", &KeySet::to_jwks);

    py::class_<PyVerifier>(m, "Verifier", "Verification policy; verify() releases the GIL")
        .def(py::init<int64_t, py::object, py::object, size_t, std::string, int64_t, std::string, py::object>(),
             py::arg("tolerance") = AJWT_DEFAULT_TOLERANCE, py::arg("nonce_callback") = py::none(),
             py::arg("algorithms") = py::none(), py::arg("max_token_size") = 0, py::arg("compat") = "strict",
             py::arg("leeway") = AJWT_DEFAULT_LEEWAY, py::arg("binding") = "off", py::arg("audience") = py::none())
        .def("check_request_binding", &PyVerifier::check_request_binding, py::arg("token"), py::arg("method"),
             py::arg("target"), py::arg("body_digest"),
             "The request-binding step alone (policy and audience of this verifier): (status, message)")
        .def("parse", &PyVerifier::parse, py::arg("text"))
        .def("verify", &PyVerifier::verify, py::arg("token"), py::arg("key"), py::arg("now"),
             "Signature, time window, then nonce check-and-record: (status, message)")
        .def("verify_at", &PyVerifier::verify_at, py::arg("token"), py::arg("key"), py::arg("clock"),
             "As verify, with a fractional clock (time.time()) rounded towards the token's time: (status, message)")
        .def("parse_and_verify_at", &PyVerifier::parse_and_verify_at, py::arg("text"), py::arg("key"), py::arg("clock"),
             "Parse and verify in one call that releases the GIL once: (status, message, ParsedToken or None)")
        .def("verify_keyset", &PyVerifier::verify_keyset, py::arg("token"), py::arg("keys"), py::arg("now"),
             "As verify over a key set, kid first: (status, message, index of the key that verified)");

    py::class_<PyMemoryNonceStore>(m, "MemoryNonceStore", "libajwt's built-in thread-safe, atomic nonce store")
        .def(py::init<int64_t, size_t, size_t>(), py::arg("ttl_seconds") = 0, py::arg("max_entries") = 0,
             py::arg("max_entries_per_user") = 0)
        .def("check_and_record", &PyMemoryNonceStore::check_and_record, py::arg("username"), py::arg("time"),
             py::arg("nonce"), py::arg("now"))
        .def("__len__", &PyMemoryNonceStore::size);

    m.def(
        "sign",
        [](const Key& key, const std::string& username, int64_t time, const std::string& nonce, const py::object& alg) {
            const ajwt_alg a = alg_from_python(alg);
            py::gil_scoped_release release;
            return ajwt_cpp::sign(key, username, time, nonce, a);
        },
        py::arg("key"), py::arg("username"), py::arg("time"), py::arg("nonce"), py::arg("alg") = py::none(),
        "Signs {username, time, nonce} with header {alg, typ, kid}");
    m.def(
        "sign_request",
        [](const Key& key, const std::string& username, int64_t time, const std::string& nonce, const py::object& alg,
           const py::object& method, const py::object& target, const py::object& body_digest,
           const py::object& audience) {
            const ajwt_alg a = alg_from_python(alg);
            const std::optional<std::string> m = optional_bytes(method), t = optional_bytes(target),
                                             d = optional_bytes(body_digest), aud = optional_bytes(audience);
            py::gil_scoped_release release;
            return ajwt_cpp::sign_request(key, username, time, nonce, a, m, t, d, aud);
        },
        py::arg("key"), py::arg("username"), py::arg("time"), py::arg("nonce"), py::arg("alg") = py::none(),
        py::arg("method") = py::none(), py::arg("target") = py::none(), py::arg("body_digest") = py::none(),
        py::arg("audience") = py::none(),
        "As sign, and binds the token to a request: HTTP method, target, SHA-256 body digest (32 bytes), audience");
    m.def("normalize_target", &ajwt_cpp::normalize_target, py::arg("target"),
          "The canonical request target that ajwt_target carries");
    m.def(
        "auth_header",
        [](const std::string& method, const std::string& token) {
            // "" is the default method word here (the Python API's convention).
            return ajwt_cpp::auth_header(method.empty() ? std::nullopt : std::optional<std::string_view>(method),
                                         token);
        },
        py::arg("method"), py::arg("token"));
    m.def("nonce_key", &ajwt_cpp::nonce_key, py::arg("username"), py::arg("time"), py::arg("nonce"),
          "The key a shared nonce store records a used nonce under, the same in every language (ajwt_nonce_key)");
    m.def(
        "nonce_ttl",
        [](int64_t tolerance) {
            ajwt_cpp::Verifier verifier;
            verifier.set_tolerance(tolerance);
            return verifier.nonce_ttl();
        },
        py::arg("tolerance"),
        "Seconds a shared nonce store keeps a recorded nonce under this time tolerance (ajwt_verifier_nonce_ttl)");
}
