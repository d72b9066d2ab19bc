// Strict JSON (core/strict_json.h): what nlohmann accepts and statetrack must not (duplicate
// keys at any depth, deep nesting, number overflow), the pointer and source in every message,
// and that ordinary documents parse to what nlohmann parses.
#include "core/strict_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "testing/error_of.h"

namespace statetrack::core {
namespace {

std::string error_of(const std::string& text) {
    return statetrack::testing::error_of<std::invalid_argument>(
        [&] { parse_strict_json(text, "f.json"); });
}

TEST(StrictJson, OrdinaryDocumentsParseAsNlohmannParsesThem) {
    for (const char* text : {R"({"a": [1, 2.5, {"b": null}], "c": "x", "d": {"a": 1}})", "[]", "3",
                             R"([{"k": 1}, {"k": 2}])", R"({"": 1})"}) {
        EXPECT_EQ(parse_strict_json(text, "t"), nlohmann::json::parse(text)) << text;
    }
}

TEST(StrictJson, DuplicateKeysAreErrorsNamingTheirPointer) {
    EXPECT_EQ(error_of(R"({"a": "q1", "a": "q0"})"),
              "f.json: invalid JSON: duplicate key \"a\" in /");
    EXPECT_EQ(error_of(R"({"optimizer": {"lr": 0.003, "lr": 0.5}})"),
              "f.json: invalid JSON: duplicate key \"lr\" in /optimizer");
    EXPECT_EQ(error_of(R"({"s": [{"x": 1}, {"x": 1, "y": 2, "x": 3}]})"),
              "f.json: invalid JSON: duplicate key \"x\" in /s/1");
    // The same key in sibling objects is not a duplicate.
    EXPECT_EQ(error_of(R"({"s": [{"x": 1}, {"x": 1}], "t": {"x": 2}})"), "(no error)");
}

TEST(StrictJson, NestingIsBoundedBeforeAnythingDeepIsBuilt) {
    const auto nested = [](size_t depth) {
        return std::string(depth, '[') + std::string(depth, ']');
    };
    EXPECT_EQ(error_of(nested(kMaxJsonDepth)), "(no error)");
    const std::string deep = error_of(nested(kMaxJsonDepth + 1));
    EXPECT_EQ(deep.rfind("f.json: invalid JSON: nesting deeper than 64 levels at /0/0/", 0), 0u)
        << deep;
    // 10^5 levels (an outside probe crashed the message printer with them): one short line.
    const std::string huge = error_of(nested(100000));
    EXPECT_NE(huge.find("nesting deeper than 64"), std::string::npos);
    EXPECT_LT(huge.size(), 400u);
    const std::string objects = error_of(std::string(100000, '{'));
    EXPECT_NE(objects.find("invalid JSON"), std::string::npos) << objects.substr(0, 200);
}

TEST(StrictJson, LibraryErrorsNameTheSourceInOneShortLine) {
    EXPECT_EQ(error_of("{\"lr\": 1e999}"), "f.json: invalid JSON: number overflow parsing '1e999'");
    const std::string cut = error_of("{\"a\": 1,");
    EXPECT_EQ(cut.rfind("f.json: invalid JSON: parse error at line 1, column 9", 0), 0u) << cut;
    const std::string long_token = error_of("[\"" + std::string(100000, 'x'));
    EXPECT_LT(long_token.size(), 400u);
}

TEST(StrictJson, FilesAreRegularAndReadWhole) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("statetrack_strict_json_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "c.json").string();
    std::ofstream(path) << R"({"a": 1, "a": 2})";
    try {
        read_json_file(path);
        ADD_FAILURE() << "duplicate key accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()), path + ": invalid JSON: duplicate key \"a\" in /");
    }
    std::ofstream(path) << R"({"a": [1]})";
    EXPECT_EQ(read_json_file(path), nlohmann::json::parse(R"({"a": [1]})"));
    EXPECT_THROW(read_json_file((dir / "missing.json").string()), std::invalid_argument);
    try {
        read_json_file("/dev/zero");
        ADD_FAILURE() << "/dev/zero accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()), "/dev/zero: not a regular file");
    }
    std::filesystem::remove_all(dir);
}

TEST(StrictJson, QuotedUserTextIsEscapedAndTruncated) {
    EXPECT_EQ(quote_for_message(std::string("a\0b\nc\x1b", 6)), "a\\x00b\\nc\\x1b");
    EXPECT_EQ(quote_for_message(std::string(100, 'x'), 10), "xxxxxxxxxx...");
    EXPECT_EQ(quote_for_message("plain"), "plain");
}

}  // namespace
}  // namespace statetrack::core
