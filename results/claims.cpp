// Strict parsing of claims files and the compiled-in published claims (see claims.h).
#include "results/claims.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/enum_names.h"
#include "core/strict_json.h"
#include "results/model_family.h"
#include "results/result_json_reader.h"

namespace statetrack::results {
namespace {

constexpr auto kExpectNames =
    core::enum_names(ExpectKind::kGeneralises, "generalises", ExpectKind::kDoesNotGeneralise,
                     "does_not_generalise", ExpectKind::kFits, "fits", ExpectKind::kDoesNotFit,
                     "does_not_fit", ExpectKind::kMinDepthAtMost, "min_depth_at_most",
                     ExpectKind::kMinDepthGrows, "min_depth_grows", ExpectKind::kFewerLayersThan,
                     "fewer_layers_than")
        .otherwise("?");
// The key of a "models" object names its kind; describe() writes "type:x" and "label:x".
constexpr auto kModelKeys =
    core::enum_names(ModelMatcher::Kind::kFamily, "family", ModelMatcher::Kind::kType, "type",
                     ModelMatcher::Kind::kLabel, "label")
        .otherwise(ModelMatcher::Kind::kLabel);

// Every key of the reader's object must be in `allowed`.
void check_keys(const ResultJsonReader& r, const std::vector<std::string>& allowed) {
    for (auto it = r.json().begin(); it != r.json().end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
            r.fail(it.key(), fmt::format("unknown key (allowed: {})", fmt::join(allowed, ", ")));
        }
    }
}

// The array `key` (non-empty) or, when `single_allowed`, one value standing for a list of one.
std::vector<const nlohmann::json*> list_of(const ResultJsonReader& r, const std::string& key,
                                           bool single_allowed) {
    if (!r.has(key)) {
        r.array(key);  // throws "missing key"
    }
    const nlohmann::json& v = r.json().at(key);
    std::vector<const nlohmann::json*> out;
    if (!v.is_array()) {
        if (!single_allowed) {
            r.fail(key, fmt::format("expected an array, got {}", v.type_name()));
        }
        out.push_back(&v);
        return out;
    }
    if (v.empty()) {
        r.fail(key, "must not be empty");
    }
    for (const auto& item : v) {
        out.push_back(&item);
    }
    return out;
}

// "claims[0].models[1]" for an array item, "claims[0].models" for a single value.
std::string item_path(const ResultJsonReader& r, const std::string& key, size_t i) {
    return r.json().at(key).is_array() ? fmt::format("{}[{}]", r.key_path(key), i)
                                       : r.key_path(key);
}

TaskMatcher parse_task_matcher(const ResultJsonReader& r, const nlohmann::json& item,
                               const std::string& path) {
    if (item.is_object()) {
        const ResultJsonReader obj(item, r.file(), path);
        check_keys(obj, {"spec_prefix"});
        return {TaskMatcher::Kind::kSpecPrefix, obj.string("spec_prefix")};
    }
    if (!item.is_string() || item.get<std::string>().empty()) {
        throw std::invalid_argument(fmt::format(
            "{}: {}: expected a task label or spec, \"class:NAME\" or {{\"spec_prefix\": ...}}, "
            "got {}",
            r.file(), path, item.dump()));
    }
    const std::string s = item.get<std::string>();
    if (s.rfind("class:", 0) == 0) {
        const std::string cls = s.substr(6);
        if (!is_known_algebraic_class(cls)) {
            throw std::invalid_argument(fmt::format(
                "{}: {}: '{}' is not one of 'aperiodic', 'solvable', 'non-solvable', 'n/a'",
                r.file(), path, cls));
        }
        return {TaskMatcher::Kind::kClass, cls};
    }
    return {TaskMatcher::Kind::kName, s};
}

ModelMatcher parse_model_matcher(const ResultJsonReader& r, const nlohmann::json& item,
                                 const std::string& path) {
    if (!item.is_object()) {
        throw std::invalid_argument(fmt::format("{}: {}: expected an object with one of {}, got {}",
                                                r.file(), path, kModelKeys.list(), item.dump()));
    }
    const ResultJsonReader obj(item, r.file(), path);
    check_keys(obj, {"family", "type", "label"});
    if (obj.json().size() != 1) {
        throw std::invalid_argument(
            fmt::format("{}: {}: needs exactly one of {}", r.file(), path, kModelKeys.list()));
    }
    const std::string key = obj.json().begin().key();
    const ModelMatcher matcher{kModelKeys.parse(key), obj.string(key)};
    if (matcher.kind == ModelMatcher::Kind::kFamily && !parse_model_family(matcher.value)) {
        std::vector<std::string> names;
        for (const ModelFamily f : all_model_families()) {
            names.push_back(to_string(f));
        }
        obj.fail("family",
                 fmt::format("'{}' is not one of {}", matcher.value, fmt::join(names, ", ")));
    }
    return matcher;
}

std::vector<ModelMatcher> parse_models(const ResultJsonReader& r, const std::string& key) {
    const auto items = list_of(r, key, true);
    std::vector<ModelMatcher> out;
    for (size_t i = 0; i < items.size(); ++i) {
        out.push_back(parse_model_matcher(r, *items[i], item_path(r, key, i)));
    }
    return out;
}

std::vector<ExpectKind> parse_expect(const ResultJsonReader& r) {
    const auto items = list_of(r, "expect", true);
    std::vector<ExpectKind> out;
    for (size_t i = 0; i < items.size(); ++i) {
        const std::string path = item_path(r, "expect", i);
        const std::string name =
            items[i]->is_string() ? items[i]->get<std::string>() : items[i]->dump();
        const auto kind = parse_expect_kind(name);
        if (!kind) {
            throw std::invalid_argument(fmt::format("{}: {}: '{}' is not one of {}", r.file(), path,
                                                    name, kExpectNames.list("")));
        }
        out.push_back(*kind);
    }
    return out;
}

bool expects(const Expectation& e, ExpectKind kind) {
    return std::find(e.expect.begin(), e.expect.end(), kind) != e.expect.end();
}

Expectation parse_expectation(const ResultJsonReader& r) {
    check_keys(r, {"tasks", "models", "n_layers", "expect", "depth", "than"});
    Expectation e;
    const auto tasks = list_of(r, "tasks", false);
    for (size_t i = 0; i < tasks.size(); ++i) {
        e.tasks.push_back(parse_task_matcher(r, *tasks[i], item_path(r, "tasks", i)));
    }
    e.models = parse_models(r, "models");
    if (r.has("n_layers")) {
        e.n_layers = r.integer("n_layers", 1);
    }
    e.expect = parse_expect(r);
    if (expects(e, ExpectKind::kMinDepthAtMost)) {
        e.depth = r.integer("depth", 1);
    } else if (r.has("depth")) {
        r.fail("depth", "only min_depth_at_most takes a depth");
    }
    if (expects(e, ExpectKind::kFewerLayersThan)) {
        e.than = parse_models(r, "than");
    } else if (r.has("than")) {
        r.fail("than", "only fewer_layers_than takes 'than'");
    }
    return e;
}

Claim parse_claim(const ResultJsonReader& r, size_t index) {
    check_keys(r, {"id", "source", "statement", "published", "min_seeds", "expectations"});
    Claim c;
    c.id = r.string("id");
    c.source = r.string("source");
    c.statement = r.string("statement");
    c.published = r.string("published");
    c.min_seeds = r.has("min_seeds") ? r.integer("min_seeds", 1) : 1;
    const auto& items = r.array("expectations");
    if (items.empty()) {
        r.fail("expectations", "must not be empty");
    }
    for (size_t i = 0; i < items.size(); ++i) {
        c.expectations.push_back(parse_expectation(r.element("expectations", i)));
    }
    c.file = r.file();
    c.index = index;
    return c;
}

}  // namespace

bool TaskMatcher::matches(const std::string& label, const TaskFacts& task) const {
    switch (kind) {
        case Kind::kName:
            return label == value || task.spec == value;
        case Kind::kClass:
            return task.algebraic_class == value;
        case Kind::kSpecPrefix:
            break;
    }
    return task.spec.rfind(value, 0) == 0;
}

std::string TaskMatcher::describe() const {
    switch (kind) {
        case Kind::kName:
            return value;
        case Kind::kClass:
            return "class:" + value;
        case Kind::kSpecPrefix:
            break;
    }
    return value + "*";
}

bool ModelMatcher::matches(const std::string& label, const ModelFacts& model) const {
    switch (kind) {
        case Kind::kFamily:
            return to_string(model.family) == value;
        case Kind::kType:
            return model.type == value;
        case Kind::kLabel:
            break;
    }
    return label == value;
}

std::string ModelMatcher::describe() const {
    return kind == Kind::kFamily ? value : fmt::format("{}:{}", kModelKeys.name(kind), value);
}

std::string to_string(ExpectKind kind) { return std::string(kExpectNames.name(kind)); }

std::optional<ExpectKind> parse_expect_kind(const std::string& name) {
    return kExpectNames.find(name);
}

std::string Expectation::describe() const {
    std::vector<std::string> m;
    for (const ModelMatcher& x : models) {
        m.push_back(x.describe());
    }
    std::vector<std::string> t;
    for (const TaskMatcher& x : tasks) {
        t.push_back(x.describe());
    }
    std::vector<std::string> k;
    for (const ExpectKind x : expect) {
        std::string s = to_string(x);
        if (x == ExpectKind::kMinDepthAtMost) {
            s += fmt::format(" {}", depth);
        } else if (x == ExpectKind::kFewerLayersThan) {
            std::vector<std::string> b;
            for (const ModelMatcher& y : than) {
                b.push_back(y.describe());
            }
            s += fmt::format(" {}", fmt::join(b, "/"));
        }
        k.push_back(s);
    }
    return fmt::format("{}{} on {}: {}", fmt::join(m, "/"),
                       n_layers ? fmt::format(" L{}", *n_layers) : "", fmt::join(t, ", "),
                       fmt::join(k, " or "));
}

std::vector<Claim> parse_claims(const nlohmann::json& json, const std::string& file) {
    const ResultJsonReader r(json, file);
    check_keys(r, {"schema", "claims"});
    const std::string schema = r.string("schema");
    if (schema != kClaimsSchema) {
        r.fail("schema", fmt::format("'{}' is not '{}'", schema, kClaimsSchema));
    }
    std::vector<Claim> claims;
    const auto& items = r.array("claims");
    for (size_t i = 0; i < items.size(); ++i) {
        claims.push_back(parse_claim(r.element("claims", i), i));
    }
    check_unique_claim_ids(claims);
    return claims;
}

std::vector<Claim> load_claims(const std::string& path) {
    return parse_claims(core::read_json_file(path), path);
}

const std::vector<Claim>& published_claims() {
    static const std::vector<Claim> claims =
        parse_claims(core::parse_strict_json(published_claims_text(), kPublishedClaimsPath),
                     kPublishedClaimsPath);
    return claims;
}

void check_unique_claim_ids(const std::vector<Claim>& claims) {
    std::map<std::string, const Claim*> seen;
    for (const Claim& c : claims) {
        const auto [it, inserted] = seen.emplace(c.id, &c);
        if (!inserted) {
            const Claim& first = *it->second;
            throw std::invalid_argument(
                fmt::format("{}: claims[{}].id: duplicate claim id '{}' (first in {}, claims[{}])",
                            c.file, c.index, c.id, first.file, first.index));
        }
    }
}

std::vector<Claim> claims_for_report(bool published, const std::vector<std::string>& files) {
    std::vector<Claim> claims;
    if (published) {
        claims = published_claims();
    }
    for (const std::string& file : files) {
        const std::vector<Claim> more = load_claims(file);
        claims.insert(claims.end(), more.begin(), more.end());
    }
    check_unique_claim_ids(claims);
    return claims;
}

}  // namespace statetrack::results
