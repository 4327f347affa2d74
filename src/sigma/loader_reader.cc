#include "sigma/loader_reader.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "base/file.h"

namespace inari::sigma::internal {
namespace {

LoadIssue Issue(LoadIssue::Severity severity, std::string code, const std::string& file, int line,
                std::string message) {
  LoadIssue i;
  i.severity = severity;
  i.code = std::move(code);
  i.file = file;
  i.line = line;
  i.message = std::move(message);
  return i;
}

// A line that starts or ends a YAML document: "---" or "..." followed by
// nothing, white space or a comment.
bool IsMarker(std::string_view line, std::string_view marker) {
  if (!line.starts_with(marker)) return false;
  if (line.size() == 3) return true;
  char c = line[3];
  return c == ' ' || c == '\t' || c == '\r';
}

// True when a chunk holds no YAML content: blank lines, comments, directives
// and document markers only.
bool IsBlankChunk(std::string_view chunk) {
  size_t pos = 0;
  while (pos < chunk.size()) {
    size_t end = chunk.find('\n', pos);
    if (end == std::string_view::npos) end = chunk.size();
    std::string_view line = chunk.substr(pos, end - pos);
    pos = end + 1;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (line[first] == '#') continue;
    if (first == 0 && (line[0] == '%' || IsMarker(line, "---") || IsMarker(line, "..."))) {
      // A marker line may carry content after it ("--- !tag", "--- value").
      if (line[0] != '%') {
        std::string_view rest = line.substr(3);
        size_t r = rest.find_first_not_of(" \t\r");
        if (r != std::string_view::npos && rest[r] != '#') return false;
      }
      continue;
    }
    return false;
  }
  return true;
}

struct Chunk {
  std::string_view text;  // including its leading "---" line, if any
  int first_line = 0;     // 0-based line of text[0]
};

std::vector<Chunk> SplitDocuments(std::string_view text) {
  std::vector<Chunk> chunks;
  size_t start = 0, pos = 0;
  int line = 0, start_line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    if (pos != start && IsMarker(l, "---")) {
      chunks.push_back({text.substr(start, pos - start), start_line});
      start = pos;
      start_line = line;
    }
    pos = end + 1;
    ++line;
  }
  if (start < text.size()) chunks.push_back({text.substr(start), start_line});
  return chunks;
}

// The document text without its "---" marker line.
std::string DocumentText(std::string_view chunk) {
  if (IsMarker(chunk.substr(0, chunk.find('\n')), "---")) {
    size_t nl = chunk.find('\n');
    return nl == std::string_view::npos ? std::string() : std::string(chunk.substr(nl + 1));
  }
  return std::string(chunk);
}

std::optional<YAML::Node> Find(const YAML::Node& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  }
  return std::nullopt;
}

// sigmac's deep_dict_update on a copy: maps present on both sides merge
// recursively, anything else from `src` replaces `dest`'s entry. Nodes are
// shared, not copied, so their marks (lines) stay; the inputs are not changed.
YAML::Node DeepMerge(const YAML::Node& dest, const YAML::Node& src,
                     std::string_view skip_key = {}) {
  YAML::Node out(YAML::NodeType::Map);
  std::vector<bool> used(src.size(), false);
  for (auto d = dest.begin(); d != dest.end(); ++d) {
    size_t i = 0;
    bool replaced = false;
    for (auto s = src.begin(); s != src.end(); ++s, ++i) {
      if (used[i] || !s->first.IsScalar() || !d->first.IsScalar() ||
          s->first.Scalar() != d->first.Scalar())
        continue;
      used[i] = true;
      replaced = true;
      if (!skip_key.empty() && s->first.Scalar() == skip_key) {
        out.force_insert(d->first, d->second);
      } else if (d->second.IsMap() && s->second.IsMap()) {
        out.force_insert(s->first, DeepMerge(d->second, s->second));
      } else {
        out.force_insert(s->first, s->second);
      }
      break;
    }
    if (!replaced) out.force_insert(d->first, d->second);
  }
  size_t i = 0;
  for (auto s = src.begin(); s != src.end(); ++s, ++i) {
    if (used[i]) continue;
    if (!skip_key.empty() && s->first.IsScalar() && s->first.Scalar() == skip_key) continue;
    out.force_insert(s->first, s->second);
  }
  return out;
}

YAML::Node WithoutKey(const YAML::Node& map, std::string_view key) {
  YAML::Node out(YAML::NodeType::Map);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) continue;
    out.force_insert(it->first, it->second);
  }
  return out;
}

std::string Emit(const YAML::Node& node) {
  YAML::Emitter e;
  e << node;
  return std::string(e.c_str(), e.size()) + "\n";
}

}  // namespace

FileDocuments ReadRuleText(std::string_view text, const std::string& file) {
  FileDocuments out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark

  // Careful: assigning to a YAML::Node that refers to a node rebinds the
  // node itself (every other handle sees the change), so the handles kept
  // across documents are optionals that are only ever emplaced.
  std::optional<YAML::Node> global;  // set while an `action: global` document is active
  std::optional<YAML::Node> previous;
  bool previous_id_inherited = false;
  std::string padding;

  for (const Chunk& chunk : SplitDocuments(text)) {
    if (IsBlankChunk(chunk.text)) continue;
    int doc_line = chunk.first_line + 1;
    // Parse with the chunk's preceding lines as blank lines so that every
    // mark is an absolute line of the file.
    YAML::Node node;
    try {
      if (chunk.first_line == 0) {
        node = YAML::Load(std::string(chunk.text));
      } else {
        padding.assign(static_cast<size_t>(chunk.first_line), '\n');
        padding.append(chunk.text);
        node = YAML::Load(padding);
      }
    } catch (const YAML::Exception& e) {
      ++out.documents;
      out.issues.push_back(Issue(
          LoadIssue::Severity::kError, "yaml", file, e.mark.is_null() ? doc_line : e.mark.line + 1,
          fmt::format("invalid YAML: {}{}", e.msg,
                      e.mark.is_null() ? "" : fmt::format(" (column {})", e.mark.column + 1))));
      continue;
    } catch (const std::exception& e) {
      ++out.documents;
      out.issues.push_back(Issue(LoadIssue::Severity::kError, "yaml", file, doc_line,
                                 fmt::format("invalid YAML: {}", e.what())));
      continue;
    }
    if (!node.IsDefined() || node.IsNull()) continue;  // comments only
    if (!node.IsMap()) {
      ++out.documents;
      out.issues.push_back(Issue(LoadIssue::Severity::kError, "bad-document", file,
                                 LineOf(node) ? LineOf(node) : doc_line,
                                 "a Sigma document must be a YAML map (key: value pairs)"));
      continue;
    }
    int content_line = LineOf(node) ? LineOf(node) : doc_line;

    std::optional<YAML::Node> action = Find(node, "action");
    if (action) {
      std::string name = action->IsScalar() ? action->Scalar() : std::string();
      if (name == "global") {
        YAML::Node merged =
            global ? DeepMerge(*global, node, "action") : WithoutKey(node, "action");
        global.reset();
        global.emplace(merged);
        continue;
      }
      if (name == "reset") {
        global.reset();
        continue;
      }
      if (name == "repeat") {
        ++out.documents;
        if (!previous) {
          out.issues.push_back(
              Issue(LoadIssue::Severity::kError, "bad-collection", file, content_line,
                    "'action: repeat' needs a previous Sigma document in the same file to repeat"));
          continue;
        }
        RawDocument doc;
        doc.node = DeepMerge(*previous, node, "action");
        doc.line = content_line;
        doc.merged = true;
        doc.id_inherited = !Find(node, "id") && (previous_id_inherited || Find(*previous, "id"));
        if (Find(doc.node, "correlation")) doc.text = Emit(doc.node);
        previous.reset();
        previous.emplace(doc.node);
        previous_id_inherited = doc.id_inherited;
        out.docs.push_back(std::move(doc));
        continue;
      }
      ++out.documents;
      out.issues.push_back(
          Issue(LoadIssue::Severity::kError, "bad-collection", file,
                LineOf(*action) ? LineOf(*action) : content_line,
                fmt::format("unknown collection action '{}' (expected global, reset or repeat)",
                            action->IsScalar() ? action->Scalar() : "(not a string)")));
      continue;
    }

    ++out.documents;
    RawDocument doc;
    doc.line = content_line;
    if (global && global->size() > 0) {
      doc.node = DeepMerge(*global, node);
      doc.merged = true;
      doc.id_inherited = !Find(node, "id") && Find(*global, "id").has_value();
      if (Find(doc.node, "correlation")) doc.text = Emit(doc.node);
    } else {
      doc.node = node;
      // Only correlation rules keep their text (for the correlation engine).
      if (Find(node, "correlation")) doc.text = DocumentText(chunk.text);
    }
    previous.reset();
    previous.emplace(doc.node);
    previous_id_inherited = doc.id_inherited;
    out.docs.push_back(std::move(doc));
  }
  return out;
}

FileDocuments ReadRuleFile(const std::string& file) {
  Result<std::string> text = ReadFileToString(file);
  if (!text.has_value()) {
    FileDocuments out;
    out.issues.push_back(
        Issue(LoadIssue::Severity::kError, "io", file, 0, std::string(text.error().message())));
    return out;
  }
  return ReadRuleText(*text, file);
}

}  // namespace inari::sigma::internal
