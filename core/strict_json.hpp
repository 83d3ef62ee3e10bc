// Strict JSON parsing of untrusted input: size and depth caps, duplicate members refused,
// valid UTF-8 only, top level must be an object.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajwt.h"

namespace ajwt {

struct JsonLimits {
    size_t max_size = 64 * 1024;
    unsigned max_depth = 16;
};

// Throws Error(on_error, "<what>: <reason>") for anything but a well-formed object within limits.
nlohmann::json parse_json_object(std::string_view text, const JsonLimits& limits, ajwt_status on_error,
                                 const char* what);

// A top-level member of a JSON object, reduced to what token headers and claims need.
struct JsonMember {
    enum class Kind { String, Integer, Float, Bool, Null, Container };
    std::string name;
    Kind kind = Kind::Null;
    std::string string;            // Kind::String, decoded
    int64_t integer = 0;           // Kind::Integer: an integer literal within int64
    double number = 0;             // Kind::Float: any other number (fraction, exponent, beyond int64)
    bool boolean = false;          // Kind::Bool
    bool container_empty = false;  // Kind::Container: [] or {}
};

// The top-level members of a JSON object, with parse_json_object's checks and statuses.
std::vector<JsonMember> parse_json_members(std::string_view text, const JsonLimits& limits, ajwt_status on_error,
                                           const char* what);
// The top-level members of a parsed object.
std::vector<JsonMember> json_object_members(const nlohmann::json& object);

}  // namespace ajwt
