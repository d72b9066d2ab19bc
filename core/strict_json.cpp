// Strict JSON parsing (see strict_json.h). Duplicate keys and depth are checked in nlohmann's
// parser callback, which sees every key and container as it is read: the document is rejected
// before a deep or ambiguous value is ever built.
#include "core/strict_json.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace statetrack::core {
namespace {

using Event = nlohmann::json::parse_event_t;

// Where the parser is: one frame per open container, for the duplicate check and the pointer.
class JsonPathTracker {
  public:
    explicit JsonPathTracker(const std::string& source) : source_(source) {}

    bool on_event(int depth, Event event, const nlohmann::json& parsed) {
        switch (event) {
            case Event::object_start:
            case Event::array_start:
                if (static_cast<size_t>(depth) >= kMaxJsonDepth) {
                    fail(fmt::format("nesting deeper than {} levels at {}", kMaxJsonDepth,
                                     pointer()));
                }
                frames_.push_back({event == Event::object_start, {}, {}, 0});
                break;
            case Event::key:
                on_key(parsed.get<std::string>());
                break;
            case Event::object_end:
            case Event::array_end:
                frames_.pop_back();
                next_element();
                break;
            case Event::value:
                next_element();
                break;
        }
        return true;
    }

  private:
    struct Frame {
        bool object = false;
        std::set<std::string> keys;
        std::string key;   // the current key (objects)
        size_t index = 0;  // the current element (arrays)
    };

    void on_key(const std::string& key) {
        Frame& f = frames_.back();
        if (!f.keys.insert(key).second) {
            fail(fmt::format("duplicate key \"{}\" in {}", quote_for_message(key),
                             pointer_of(frames_.size() - 1)));
        }
        f.key = key;
    }

    void next_element() {
        if (!frames_.empty() && !frames_.back().object) {
            ++frames_.back().index;
        }
    }

    // The pointer of the value being read ("/states/3"), "/" for the root's members.
    std::string pointer_of(size_t n_frames) const {
        std::string out;
        for (size_t i = 0; i < n_frames; ++i) {
            const Frame& f = frames_[i];
            out += "/" + (f.object ? quote_for_message(f.key, 40) : std::to_string(f.index));
        }
        return out.empty() ? "/" : out;
    }
    std::string pointer() const { return pointer_of(frames_.size()); }

    [[noreturn]] void fail(const std::string& what) const { throw JsonError(source_, what); }

    const std::string& source_;
    std::vector<Frame> frames_;
};

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, cut to one line.
std::string library_message(const std::exception& e) {
    std::string what = e.what();
    if (const size_t end = what.find("] "); what.rfind("[json.exception.", 0) == 0 &&
                                            end != std::string::npos) {
        what = what.substr(end + 2);
    }
    return quote_for_message(what, 240);
}

}  // namespace

JsonError::JsonError(const std::string& source, const std::string& detail)
    : std::invalid_argument(fmt::format("{}: invalid JSON: {}", source, detail)), detail_(detail) {}

nlohmann::json parse_strict_json(std::string_view text, const std::string& source) {
    JsonPathTracker tracker(source);
    try {
        return nlohmann::json::parse(
            text.begin(), text.end(),
            [&tracker](int depth, Event event, nlohmann::json& parsed) {
                return tracker.on_event(depth, event, parsed);
            });
    } catch (const nlohmann::json::exception& e) {
        throw JsonError(source, library_message(e));
    }
}

nlohmann::json read_json_file(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        throw std::invalid_argument(fmt::format("{}: not a regular file", path));
    }
    if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxJsonFileBytes) {
        throw std::invalid_argument(fmt::format("{}: {} bytes, above the {} MiB limit for a JSON file",
                                                path, size, kMaxJsonFileBytes >> 20));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::invalid_argument(fmt::format("{}: cannot open the file", path));
    }
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw std::invalid_argument(fmt::format("{}: cannot read the file", path));
    }
    return parse_strict_json(text.str(), path);
}

std::string quote_for_message(std::string_view text, size_t max_chars) {
    std::string out;
    for (const char c : text) {
        if (out.size() >= max_chars) {
            return out + "...";
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            out += c == '\n' ? "\\n" : c == '\t' ? "\\t" : fmt::format("\\x{:02x}", u);
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace statetrack::core
