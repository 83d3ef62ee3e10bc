#include "json.hpp"

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
            case json::parse_event_t::array_start:
                check_depth(depth);
                break;
            case json::parse_event_t::key: {
                const auto& name = parsed.get_ref<const std::string&>();
                if (!names_.back().insert(name).second) throw JsonRefusal{"duplicate member \"" + name + "\""};
                break;
            }
            case json::parse_event_t::object_end:
                names_.pop_back();
                break;
            default:
                break;
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

}  // namespace

json parse_json_object(std::string_view text, const JsonLimits& limits, ajwt_status on_error, const char* what) {
    const std::string prefix = std::string(what) + ": ";
    if (text.size() > limits.max_size)
        throw Error(on_error, prefix + "larger than " + std::to_string(limits.max_size) + " bytes");
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

}  // namespace ajwt
