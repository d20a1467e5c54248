#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <semaphore>
#include <vector>

#include <argon2.h>

namespace idpd::auth {

// The working memory of Argon2id hashes, kept and reused. libargon2 mallocs m KiB for every
// hash and frees it after; with 19 MiB blocks glibc's sliding mmap threshold then keeps a freed
// block in each worker's arena (176 MiB peak RSS under sign-in load), and forcing the blocks
// back to mmap makes every hash fault 19 MiB of fresh pages (a third fewer sign-ins/s). Here
// each of `slots` hashes in flight gets one block, allocated on first use and never returned:
// memory stays at slots × m and pages are faulted once. A hash beyond `slots` waits for one.
class Argon2MemoryPool {
public:
    // `slots`: hashes that may run at once (the usable CPUs: more would only queue inside the
    // kernel); `block_bytes`: m × 1024 of the current parameters.
    Argon2MemoryPool(std::size_t slots, std::size_t block_bytes);

    // Runs argon2id over `ctx` with its allocator set to a pool block. A larger request (a
    // stored hash with a bigger m than today's) gets plain malloc for that hash.
    // Returns libargon2's status.
    int hash(argon2_context& ctx);
    // As hash(), but argon2id_verify_ctx against `expected` (constant-time comparison).
    int verify(argon2_context& ctx, const std::uint8_t* expected);

private:
    struct Block {
        std::unique_ptr<std::uint8_t[]> data;
        std::size_t size = 0;
    };
    // Takes a free block (waiting for one), runs `run`, gives the block back.
    template <class Run>
    int with_block(argon2_context& ctx, Run run);

    std::size_t block_bytes_;
    std::counting_semaphore<1024> free_slots_;
    std::mutex mutex_;
    std::vector<Block*> idle_;  // blocks not in use
    std::vector<std::unique_ptr<Block>> blocks_;
};

// How many hashes may run at once on this process: the CPUs it may run on (sched affinity),
// at least 1.
std::size_t usable_cpus();

}  // namespace idpd::auth
