#include <csignal>

#include "app/cli.h"

int main(int argc, char** argv) {
    // A peer that closes early must cost us an EPIPE on that write, not the process: OpenSSL and
    // cpp-httplib write with write(2) from worker threads.
    std::signal(SIGPIPE, SIG_IGN);
    return idpd::app::run_cli(argc, argv);
}
