// HTML rendering (see report_html.h).
#include "results/report_html.h"

#include <fmt/format.h>

#include "results/svg_writer.h"

namespace statetrack::results {
namespace {

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 0;
       background: #fafafa; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 12px; }
h2 { font-size: 21px; margin-top: 36px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 17px; margin-top: 26px; }
p { line-height: 1.45; max-width: 980px; }
nav ul { margin: 4px 0 8px; padding-left: 20px; }
.table-wrap { overflow-x: auto; margin: 8px 0 14px; }
table { border-collapse: collapse; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #d6d6d6; padding: 4px 8px; white-space: nowrap; }
td:not(.num) { white-space: normal; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f8f8f8; }
figure { margin: 10px 0 22px; }
figcaption { font-size: 13px; color: #555; margin-top: 2px; }
svg { max-width: 100%; height: auto; border: 1px solid #e6e6e6; }
)";

// Lets long paths in cells wrap after a '/' instead of widening the table.
std::string breakable_after_slashes(const std::string& escaped) {
    std::string out;
    for (const char c : escaped) {
        out += c;
        if (c == '/') {
            out += "<wbr>";
        }
    }
    return out;
}

std::string render_table(const ReportBlock& b) {
    const ReportTable& t = b.table;
    std::string out = "<div class=\"table-wrap\"><table>\n";
    if (!b.text.empty()) {
        out += fmt::format("<caption>{}</caption>\n", escape_xml(b.text));
    }
    out += "<thead><tr>";
    for (const std::string& h : t.header) {
        out += fmt::format("<th>{}</th>", escape_xml(h));
    }
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& row : t.rows) {
        out += "<tr>";
        for (size_t c = 0; c < row.size(); ++c) {
            const bool numeric = c < t.numeric.size() && t.numeric[c];
            out += fmt::format("<td{}>{}</td>", numeric ? " class=\"num\"" : "",
                               breakable_after_slashes(escape_xml(row[c])));
        }
        out += "</tr>\n";
    }
    return out + "</tbody>\n</table></div>\n";
}

std::string render_contents(const ReportDocument& doc) {
    std::string items;
    for (const ReportBlock& b : doc.blocks) {
        if (b.kind == ReportBlock::Kind::kHeading && b.level == 2 && !b.anchor.empty()) {
            items += fmt::format("<li><a href=\"#{}\">{}</a></li>", escape_xml(b.anchor),
                                 escape_xml(b.text));
        }
    }
    return items.empty() ? "" : "<nav><ul>" + items + "</ul></nav>\n";
}

std::string render_block(const ReportBlock& b) {
    switch (b.kind) {
        case ReportBlock::Kind::kHeading:
            return fmt::format("<h{0}{1}>{2}</h{0}>\n", b.level,
                               b.anchor.empty() ? "" : " id=\"" + escape_xml(b.anchor) + "\"",
                               escape_xml(b.text));
        case ReportBlock::Kind::kParagraph:
            return fmt::format("<p>{}</p>\n", escape_xml(b.text));
        case ReportBlock::Kind::kTable:
            return render_table(b);
        case ReportBlock::Kind::kFigure:
            return fmt::format("<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n", b.svg,
                               escape_xml(b.text));
    }
    return "";
}

}  // namespace

std::string render_html(const ReportDocument& doc) {
    std::string body;
    bool contents_done = false;
    for (const ReportBlock& b : doc.blocks) {
        // The contents list goes right after the introduction, before the first section.
        if (!contents_done && b.kind == ReportBlock::Kind::kHeading && b.level == 2) {
            body += render_contents(doc);
            contents_done = true;
        }
        body += render_block(b);
    }
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n"
        "</html>\n",
        escape_xml(doc.title), kStyle, body);
}

}  // namespace statetrack::results
