// inari — command line entry point. One file per subcommand in src/cli/.
#include <cstdio>
#include <exception>

#include "cli/common.h"

int main(int argc, char** argv) {
  CLI::App app{"inari — hunt attackers and insiders in Windows event logs, database audit logs and streams"};
  app.set_version_flag("-V,--version", std::string("inari ") + INARI_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'inari COMMAND --help' for a command's options and examples.");
  inari::cli::RegisterHunt(&app);
  inari::cli::RegisterDump(&app);
  inari::cli::RegisterRules(&app);
  inari::cli::RegisterScope(&app);
  inari::cli::RegisterSimulate(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a subcommand finished with this exit code
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : inari::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "inari: internal error: %s\n", e.what());
    return 70;
  }
  return 0;
}
