// Rule logic tests: a YAML file pairing a Sigma rule with events and the
// indices of the events it must match (every other event must not match).
//
//   # what it checks, with the spec line it follows
//   rule_file: rules/windows/remote_access/anydesk_service_install.yml  # from `base_dir`
//   rule: |            # or the rule inline
//     title: ...
//   placeholders: {admins: [alice, bob]}   # optional, for `expand`
//   events:            # inari field naming, as `inari dump` prints events
//     - {EventID: 7045, Channel: System, ServiceName: AnyDesk Service}
//   expect: [0]
//   expect_error: unknown-modifier          # instead of expect: the rule must be rejected with this code
//
// Event values: YAML integers become unsigned/signed integers, other scalars
// strings (TimeCreated_SystemTime and the System integers are typed as the
// readers type them), null a null value, a list a repeated field.
#pragma once

#include <string>
#include <vector>

namespace inari {

struct RuleTestResult {
  std::string file;
  bool passed = false;
  std::string message;  // why it failed
  std::vector<size_t> expected, matched;
};

RuleTestResult RunRuleTest(const std::string& test_file, const std::string& base_dir);

}  // namespace inari
