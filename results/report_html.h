// Renders a ReportDocument as one self-contained HTML5 file: inline CSS, the SVG figures inline,
// a contents list of the second-level headings; no scripts, no external fonts, stylesheets or
// images, so the file opens anywhere (and offline) exactly as written.
#pragma once

#include <string>

#include "results/report_document.h"

namespace statetrack::results {

std::string render_html(const ReportDocument& doc);

}  // namespace statetrack::results
