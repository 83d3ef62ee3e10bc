#include "strict_json.hpp"

#include <limits>
#include <set>
#include <string>
#include <vector>

#include "error.hpp"

namespace ajwt {
namespace {

using nlohmann::json;

// Raised inside the parser callback to stop parsing at once.
struct JsonRefusal {
    std::string reason;
};

// Tracks member names per open object so a duplicate name aborts the parse
// (nlohmann would otherwise keep the last one silently: RFC 8725 §3.1 ambiguity).
class StrictnessGuard {
public:
    explicit StrictnessGuard(unsigned max_depth) : max_depth_(max_depth) {}

    bool operator()(int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                check_depth(depth);
                names_.emplace_back();
                break;
            case json::parse_event_t::array_start: check_depth(depth); break;
            case json::parse_event_t::key: {
                const auto& name = parsed.get_ref<const std::string&>();
                if (!names_.back().insert(name).second) throw JsonRefusal{"duplicate member \"" + name + "\""};
                break;
            }
            case json::parse_event_t::object_end: names_.pop_back(); break;
            default: break;
        }
        return true;
    }

private:
    void check_depth(int depth) const {
        if (depth >= static_cast<int>(max_depth_)) throw JsonRefusal{"nested too deeply"};
    }

    unsigned max_depth_;
    std::vector<std::set<std::string>> names_;
};

std::string size_message(const std::string& prefix, size_t max_size) {
    return prefix + "larger than " + std::to_string(max_size) + " bytes";
}

}  // namespace

json parse_json_object(std::string_view text, const JsonLimits& limits, ajwt_status on_error, const char* what) {
    const std::string prefix = std::string(what) + ": ";
    if (text.size() > limits.max_size) throw Error(on_error, size_message(prefix, limits.max_size));
    // nlohmann's lexer takes a NUL byte for the end of input, so "{}\0garbage" would pass. A raw
    // NUL is never valid JSON (inside strings it must be escaped), so refuse it outright.
    if (text.find('\0') != std::string_view::npos) throw Error(on_error, prefix + "not valid JSON (NUL byte)");
    // nlohmann skips a UTF-8 byte order mark; RFC 8259 §8.1 forbids sending one, and accepting
    // it would give one JSON text two spellings.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") throw Error(on_error, prefix + "not valid JSON (byte order mark)");
    json value;
    try {
        StrictnessGuard guard(limits.max_depth);
        value = json::parse(text.begin(), text.end(), std::ref(guard), /*allow_exceptions=*/true,
                            /*ignore_comments=*/false);
    } catch (const JsonRefusal& refusal) {
        throw Error(on_error, prefix + refusal.reason);
    } catch (const json::exception&) {
        throw Error(on_error, prefix + "not valid JSON (or not valid UTF-8)");
    }
    if (!value.is_object()) throw Error(on_error, prefix + "not a JSON object");
    return value;
}

std::vector<JsonMember> json_object_members(const json& object) {
    std::vector<JsonMember> members;
    members.reserve(object.size());
    for (const auto& [name, value] : object.items()) {
        JsonMember member;
        member.name = name;
        switch (value.type()) {
            case json::value_t::string:
                member.kind = JsonMember::Kind::String;
                member.string = value.get<std::string>();
                break;
            case json::value_t::number_integer:
                member.kind = JsonMember::Kind::Integer;
                member.integer = value.get<int64_t>();
                break;
            case json::value_t::number_unsigned:
                if (value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
                    member.kind = JsonMember::Kind::Integer;
                    member.integer = value.get<int64_t>();
                } else {
                    member.kind = JsonMember::Kind::Float;
                    member.number = static_cast<double>(value.get<uint64_t>());
                }
                break;
            case json::value_t::number_float:
                member.kind = JsonMember::Kind::Float;
                member.number = value.get<double>();
                break;
            case json::value_t::boolean:
                member.kind = JsonMember::Kind::Bool;
                member.boolean = value.get<bool>();
                break;
            case json::value_t::null: member.kind = JsonMember::Kind::Null; break;
            default:
                member.kind = JsonMember::Kind::Container;
                member.container_empty = value.empty();
                break;
        }
        members.push_back(std::move(member));
    }
    return members;
}

std::vector<JsonMember> parse_json_members(std::string_view text, const JsonLimits& limits, ajwt_status on_error,
                                           const char* what) {
    return json_object_members(parse_json_object(text, limits, on_error, what));
}

}  // namespace ajwt
