#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    // Tests assert on behaviour, not on log lines; keep their output readable.
    spdlog::set_level(spdlog::level::warn);
    return RUN_ALL_TESTS();
}
