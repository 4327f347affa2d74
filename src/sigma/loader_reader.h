// RuleFileReader — the first stage of rule loading (reader → collector →
// compiler): one rule file's text → its Sigma documents as YAML maps.
//
// The file is split at document markers ("---" at the start of a line) and
// each document is parsed on its own, so a YAML error in one document is
// reported (code "yaml", with its line) and the file's other documents still
// load. Line numbers are absolute in the file: every node's Mark().line + 1 is
// its line. Sigma 1.0 collections are applied here: `action: global` documents
// are deep-merged into every following document until `action: reset`;
// `action: repeat` repeats the previous document with its own keys merged in
// (as sigmac's SigmaCollectionParser did). Control documents are not counted
// as documents.
//
// Thread-safety: ReadRuleFile has no shared state; call it from many threads
// on different files.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "sigma/rule.h"

namespace inari::sigma::internal {

struct RawDocument {
  YAML::Node node;   // a map (action key removed, collection content merged in)
  int line = 0;      // 1-based line where the document's content starts
  std::string text;  // a correlation document's YAML text (emitted again when merged); else empty
  bool merged = false;        // global or repeated content was merged in
  bool id_inherited = false;  // `id` came from a global/repeated document
};

struct FileDocuments {
  std::vector<RawDocument> docs;
  std::vector<LoadIssue> issues;  // file name set, rule_id empty
  size_t documents = 0;           // Sigma documents (docs + unreadable ones)
};

// Reads `text` as the content of `file` (used in issues only).
FileDocuments ReadRuleText(std::string_view text, const std::string& file);

// Reads the file; an unreadable file becomes an "io" issue.
FileDocuments ReadRuleFile(const std::string& file);

// Line of a node (1-based), 0 when the node has no position (built, not parsed).
inline int LineOf(const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

}  // namespace inari::sigma::internal
