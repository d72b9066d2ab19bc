// ReportDocument: the report as an ordered list of blocks (headings, paragraphs, tables,
// figures), built once from ReportData. report_markdown and report_html only render blocks, so
// the two files always hold the same tables in the same order. Markdown skips figures (they are
// SVG, shown in the HTML). Block text is plain text; renderers escape it.
//
// Sections, in order: title and reading guide; Overview (task x model heat map figure and table
// with verdict marks, the verdicts and predictions table with its rules, then the algebraic
// class x model summary); Claims (every claim, tested or not); Minimum depth (per task: table and figure); Tasks
// (per task: facts, configuration table, sequence accuracy per length table, figure); Failed runs.
#pragma once

#include <string>
#include <vector>

#include "results/report_data.h"

namespace statetrack::results {

struct ReportTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // each as wide as header
    std::vector<bool> numeric;                   // per column: right-aligned
};

struct ReportBlock {
    enum class Kind { kHeading, kParagraph, kTable, kFigure };
    Kind kind = Kind::kParagraph;
    int level = 2;       // headings: 1-3
    std::string anchor;  // headings: HTML id
    std::string text;    // heading, paragraph, table caption or figure caption
    ReportTable table;
    std::string svg;  // figures
};

struct ReportDocument {
    std::string title;
    std::vector<ReportBlock> blocks;
};

ReportDocument build_report_document(const ReportData& data);

}  // namespace statetrack::results
