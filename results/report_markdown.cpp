// Markdown rendering (see report_markdown.h).
#include "results/report_markdown.h"

#include <fmt/format.h>

namespace statetrack::results {
namespace {

std::string render_table(const ReportTable& t) {
    std::string out = "|";
    for (const std::string& h : t.header) {
        out += " " + escape_markdown(h) + " |";
    }
    out += "\n|";
    for (size_t c = 0; c < t.header.size(); ++c) {
        out += c < t.numeric.size() && t.numeric[c] ? " ---: |" : " --- |";
    }
    out += "\n";
    for (const auto& row : t.rows) {
        out += "|";
        for (const std::string& cell : row) {
            out += " " + escape_markdown(cell) + " |";
        }
        out += "\n";
    }
    return out;
}

}  // namespace

std::string escape_markdown(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '\\':
            case '|':
            case '*':
            case '`':
            case '[':
            case ']':
                out += '\\';
                out += c;
                break;
            case '<':
                out += "&lt;";
                break;
            case '\n':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string render_markdown(const ReportDocument& doc) {
    std::string out;
    for (const ReportBlock& b : doc.blocks) {
        switch (b.kind) {
            case ReportBlock::Kind::kHeading:
                out += fmt::format("{} {}\n\n", std::string(b.level, '#'), escape_markdown(b.text));
                break;
            case ReportBlock::Kind::kParagraph:
                out += escape_markdown(b.text) + "\n\n";
                break;
            case ReportBlock::Kind::kTable:
                if (!b.text.empty()) {
                    out += fmt::format("**{}**\n\n", escape_markdown(b.text));
                }
                out += render_table(b.table) + "\n";
                break;
            case ReportBlock::Kind::kFigure:
                break;
        }
    }
    return out;
}

}  // namespace statetrack::results
