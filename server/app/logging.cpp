#include "app/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace idpd::app {

void setup_logging(const Config::Log& log) {
    auto level = spdlog::level::from_str(log.level);
    if (!spdlog::get("idpd")) {
        auto main_logger = spdlog::stderr_logger_mt("idpd");
        main_logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
        spdlog::set_default_logger(main_logger);
    }
    if (!spdlog::get("access")) {
        auto access = spdlog::stdout_logger_mt("access");
        access->set_pattern("%v");
        // Flush each line, so a crash or a pipe never loses the last requests.
        access->flush_on(spdlog::level::info);
    }
    spdlog::set_level(level);
    spdlog::get("access")->set_level(log.access_log ? spdlog::level::info : spdlog::level::off);
}

}  // namespace idpd::app
