#include "auth/argon2_memory.h"

#include <cstdlib>

#include <sched.h>

namespace idpd::auth {
namespace {

// libargon2's allocator callbacks take no user pointer: the block of the hash running on this
// thread is passed through a thread-local for the duration of the call.
thread_local std::uint8_t* current_block = nullptr;
thread_local std::size_t current_size = 0;

int allocate(std::uint8_t** memory, std::size_t bytes) {
    if (current_block != nullptr && bytes <= current_size) {
        *memory = current_block;
        return ARGON2_OK;
    }
    *memory = static_cast<std::uint8_t*>(std::malloc(bytes));
    return *memory != nullptr ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
}

void deallocate(std::uint8_t* memory, std::size_t) {
    // libargon2 has already wiped the memory (clear_internal_memory) before calling this.
    if (memory != current_block) {
        std::free(memory);
    }
}

}  // namespace

std::size_t usable_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        return 1;
    }
    const int count = CPU_COUNT(&set);
    return count > 0 ? static_cast<std::size_t>(count) : 1;
}

Argon2MemoryPool::Argon2MemoryPool(std::size_t slots, std::size_t block_bytes)
    : block_bytes_(block_bytes),
      free_slots_(static_cast<std::ptrdiff_t>(slots == 0 ? 1 : (slots > 1024 ? 1024 : slots))) {
    const std::size_t n = slots == 0 ? 1 : (slots > 1024 ? 1024 : slots);
    for (std::size_t i = 0; i < n; ++i) {
        blocks_.push_back(std::make_unique<Block>());
        idle_.push_back(blocks_.back().get());
    }
}

template <class Run>
int Argon2MemoryPool::with_block(argon2_context& ctx, Run run) {
    free_slots_.acquire();
    Block* block = nullptr;
    {
        std::lock_guard lock(mutex_);
        block = idle_.back();
        idle_.pop_back();
    }
    if (!block->data) {
        // Allocated once, on first use: a process that never hashes never pays for it.
        block->data.reset(new (std::nothrow) std::uint8_t[block_bytes_]);
        block->size = block->data ? block_bytes_ : 0;
    }
    current_block = block->data.get();
    current_size = block->size;
    ctx.allocate_cbk = allocate;
    ctx.free_cbk = deallocate;
    const int status = run(ctx);
    current_block = nullptr;
    current_size = 0;
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(block);
    }
    free_slots_.release();
    return status;
}

int Argon2MemoryPool::hash(argon2_context& ctx) {
    return with_block(ctx, [](argon2_context& c) { return argon2_ctx(&c, Argon2_id); });
}

int Argon2MemoryPool::verify(argon2_context& ctx, const std::uint8_t* expected) {
    return with_block(ctx, [expected](argon2_context& c) {
        return argon2id_verify_ctx(&c, reinterpret_cast<const char*>(expected));
    });
}

}  // namespace idpd::auth
