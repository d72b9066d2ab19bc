// Renders a ReportDocument as GitHub-flavoured Markdown: headings, paragraphs, pipe tables
// (numeric columns right-aligned; '|', '*', '`', '\', '<', '[', ']' in text escaped so labels
// such as "regex:(a|b)*" cannot break a table). Figures are left to the HTML report.
#pragma once

#include <string>

#include "results/report_document.h"

namespace statetrack::results {

std::string escape_markdown(const std::string& text);
std::string render_markdown(const ReportDocument& doc);

}  // namespace statetrack::results
