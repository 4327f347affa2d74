// LoadRules / LoadPlaceholders: finds rule files, runs the reader and the
// collector on them (in parallel, one file per task) and then, in file order,
// enforces what spans files: unique rule ids and names.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "base/file.h"
#include "sigma/loader_collector.h"
#include "sigma/loader_reader.h"
#include "sigma/rule.h"

namespace inari::sigma {
namespace {

namespace fs = std::filesystem;
using internal::CollectedDocument;

LoadIssue FileIssue(std::string code, const std::string& file, std::string message) {
  LoadIssue i;
  i.code = std::move(code);
  i.file = file;
  i.message = std::move(message);
  return i;
}

bool IsRuleFileName(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext == ".yml" || ext == ".yaml";
}

// Files named by `paths`, directories expanded recursively (sorted; hidden
// directories such as .git skipped). A file named explicitly loads whatever
// its extension.
std::vector<std::string> FindFiles(const std::vector<std::string>& paths,
                                   std::vector<LoadIssue>* issues) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(p, ec);
    if (seen.insert(ec ? p.string() : key.string()).second) files.push_back(p.string());
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      issues->push_back(FileIssue("io", path, "no such file or directory"));
      continue;
    }
    if (!fs::is_directory(st)) {
      add(path);
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec),
        end;
    if (ec) {
      issues->push_back(
          FileIssue("io", path, fmt::format("cannot read directory: {}", ec.message())));
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        issues->push_back(
            FileIssue("io", path, fmt::format("cannot read directory: {}", ec.message())));
        break;
      }
      const fs::directory_entry& e = *it;
      std::string name = e.path().filename().string();
      std::error_code dir_ec;
      if (e.is_directory(dir_ec)) {
        if (name.starts_with('.')) it.disable_recursion_pending();
        continue;
      }
      if (IsRuleFileName(e.path()) && e.is_regular_file(dir_ec)) found.push_back(e.path());
    }
    std::sort(found.begin(), found.end());
    for (const fs::path& p : found) add(p);
  }
  return files;
}

struct FileOutput {
  std::vector<CollectedDocument> docs;
  std::vector<LoadIssue> issues;  // reader issues
  size_t documents = 0;
};

FileOutput ProcessFile(const std::string& file, const internal::RuleCollector& collector) {
  FileOutput out;
  try {
    internal::FileDocuments read = internal::ReadRuleFile(file);
    out.issues = std::move(read.issues);
    out.documents = read.documents;
    for (const internal::RawDocument& doc : read.docs) {
      try {
        out.docs.push_back(collector.Collect(doc, file));
      } catch (const std::exception& e) {
        CollectedDocument failed;
        LoadIssue i = FileIssue(
            "internal", file, fmt::format("unexpected failure reading the document: {}", e.what()));
        i.line = doc.line;
        failed.issues.push_back(std::move(i));
        out.docs.push_back(std::move(failed));
      }
    }
  } catch (const std::exception& e) {
    out.issues.push_back(FileIssue(
        "internal", file, fmt::format("unexpected failure reading the file: {}", e.what())));
  }
  return out;
}

const RuleInfo* InfoOf(const CollectedDocument& d) {
  if (auto* r = std::get_if<LoadedRule>(&d.loaded)) return &r->info;
  if (auto* f = std::get_if<LoadedFilter>(&d.loaded)) return &f->info;
  if (auto* c = std::get_if<LoadedCorrelation>(&d.loaded)) return &c->info;
  return nullptr;
}

struct Seen {
  std::string file;
  int line = 0;
};

// Moves one file's documents into the result, in order, rejecting duplicate
// ids and names (the first one loaded is kept).
void Merge(FileOutput&& file, std::unordered_map<std::string, Seen>* ids,
           std::unordered_map<std::string, Seen>* names, LoadResult* result) {
  std::vector<LoadIssue> issues = std::move(file.issues);
  for (CollectedDocument& doc : file.docs) {
    for (LoadIssue& i : doc.issues) issues.push_back(std::move(i));
    const RuleInfo* info = InfoOf(doc);
    if (!info) continue;
    bool keep = true;
    if (!info->id.empty()) {
      auto [it, inserted] = ids->try_emplace(info->id, Seen{info->file, info->line});
      if (!inserted) {
        LoadIssue i = FileIssue("duplicate-id", info->file, "");
        i.line = info->line;
        i.rule_id = info->id;
        if (doc.id_inherited && it->second.file == info->file) {
          // A Sigma 1.0 collection: the documents of one file share the id of
          // their `action: global` document, as sigmac allowed.
          i.severity = LoadIssue::Severity::kWarning;
          i.code = "shared-id";
          i.message = fmt::format(
              "id {} is shared with the document at line {} (inherited from the collection's "
              "global document); both are loaded",
              info->id, it->second.line);
        } else {
          i.message = fmt::format("id {} was already loaded from {}:{}; this rule is skipped",
                                  info->id, it->second.file, it->second.line);
          keep = false;
        }
        issues.push_back(std::move(i));
      }
    }
    if (keep && !info->name.empty()) {
      auto [it, inserted] = names->try_emplace(info->name, Seen{info->file, info->line});
      if (!inserted && !(doc.id_inherited && it->second.file == info->file)) {
        LoadIssue i =
            FileIssue("duplicate-name", info->file,
                      fmt::format("name '{}' was already used by {}:{}; this rule is skipped",
                                  info->name, it->second.file, it->second.line));
        i.line = info->line;
        i.rule_id = info->id;
        issues.push_back(std::move(i));
        keep = false;
      }
    }
    if (!keep) continue;
    if (auto* r = std::get_if<LoadedRule>(&doc.loaded))
      result->rules.push_back(std::move(*r));
    else if (auto* f = std::get_if<LoadedFilter>(&doc.loaded))
      result->filters.push_back(std::move(*f));
    else if (auto* c = std::get_if<LoadedCorrelation>(&doc.loaded))
      result->correlations.push_back(std::move(*c));
  }
  std::stable_sort(issues.begin(), issues.end(),
                   [](const LoadIssue& a, const LoadIssue& b) { return a.line < b.line; });
  for (LoadIssue& i : issues) result->issues.push_back(std::move(i));
}

}  // namespace

LoadResult LoadRules(const std::vector<std::string>& paths, const LoadOptions& options) {
  LoadResult result;
  try {
    std::vector<std::string> files = FindFiles(paths, &result.issues);
    result.files = files.size();
    internal::RuleCollector collector(options);
    std::vector<FileOutput> outputs(files.size());

    size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads)
                                         : std::max(1u, std::thread::hardware_concurrency());
    threads = std::min(threads, (files.size() + 7) / 8);  // not worth a thread below ~8 files
    if (threads <= 1) {
      for (size_t i = 0; i < files.size(); ++i) outputs[i] = ProcessFile(files[i], collector);
    } else {
      std::atomic<size_t> next{0};
      auto work = [&] {
        for (size_t i; (i = next.fetch_add(1)) < files.size();)
          outputs[i] = ProcessFile(files[i], collector);
      };
      std::vector<std::jthread> pool;
      for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
      work();
    }  // pool joins here

    std::unordered_map<std::string, Seen> ids, names;
    for (FileOutput& out : outputs) {
      result.documents += out.documents;
      Merge(std::move(out), &ids, &names, &result);
    }
  } catch (const std::exception& e) {
    result.issues.push_back(
        FileIssue("internal", "", fmt::format("rule loading failed: {}", e.what())));
  }
  return result;
}

Result<std::map<std::string, std::vector<std::string>>> LoadPlaceholders(const std::string& path) {
  Result<std::string> text = ReadFileToString(path);
  if (!text.has_value()) return text.error();
  std::map<std::string, std::vector<std::string>> out;
  try {
    YAML::Node root = YAML::Load(*text);
    if (root.IsNull()) return out;
    if (!root.IsMap()) {
      return Status::ParseError(path, "a placeholder file is a YAML map: name → list of values");
    }
    for (auto it = root.begin(); it != root.end(); ++it) {
      int line = internal::LineOf(it->first);
      if (!it->first.IsScalar() || it->first.Scalar().empty()) {
        return Status::ParseError(fmt::format("{}:{}", path, line),
                                  "a placeholder name must be a string");
      }
      std::string name = it->first.Scalar();
      if (name.size() >= 2 && name.front() == '%' && name.back() == '%')
        name = name.substr(1, name.size() - 2);
      if (out.count(name)) {
        return Status::ParseError(fmt::format("{}:{}", path, line),
                                  fmt::format("placeholder '{}' is defined twice", name));
      }
      std::vector<std::string>& values = out[name];
      YAML::Node v = it->second;
      if (v.IsScalar()) {
        values.push_back(v.Scalar());
      } else if (v.IsSequence()) {
        for (const YAML::Node& item : v) {
          if (!item.IsScalar()) {
            return Status::ParseError(
                fmt::format("{}:{}", path, internal::LineOf(item) ? internal::LineOf(item) : line),
                fmt::format("a value of placeholder '{}' is not a string", name));
          }
          values.push_back(item.Scalar());
        }
      } else if (!v.IsNull()) {
        return Status::ParseError(
            fmt::format("{}:{}", path, line),
            fmt::format("placeholder '{}' must map to a list of strings", name));
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::ParseError(fmt::format("{}:{}", path, e.mark.is_null() ? 0 : e.mark.line + 1),
                              fmt::format("invalid YAML: {}", e.msg));
  } catch (const std::exception& e) {
    return Status::ParseError(path, e.what());
  }
  return out;
}

}  // namespace inari::sigma
