// SPDX-License-Identifier: GPL-3.0-or-later
// A caching CPU allocator for LibTorch's large tensors.
//
// Why: glibc serves every block over its mmap threshold (32 MiB at most,
// see runtime.cpp) with a fresh mmap and returns it with munmap, so at
// 224x224, where most activations are larger (ResNet-50's layer1 at batch
// 32: 100 MiB), every reconstruction iteration page-faults them in afresh:
// half of ResNet-50's CPU time went to the kernel. Keeping every block in
// glibc's heap instead (M_MMAP_MAX 0) removed the faults but kept all freed
// memory resident and fragmented: ResNet-50 with 1024 images peaked at
// 4.19 GiB against a 4 GB target. This cache keeps freed blocks of the
// sizes a unit's loop asks for again, up to kMaxCachedBytes, and the run
// empties it after each unit (docs/performance.md, "Large blocks: from the
// heap to a tensor cache").
//
// AddressSanitizer's allocator mmaps every block over 128 KiB (and ignores
// mallopt), which made the test suite 20-50x slower under ASan (a 3x3 conv
// 16->16 at 28x28, batch 32, forward + backward: 103 ms under ASan, 3.8 ms
// with the cache, 3.6 ms in the normal build): there the
// cache starts at 128 KiB, is installed by a static initializer, and cached
// blocks are poisoned, so a use after free in our (instrumented) code is
// still reported ("use-after-poison"). METAAUG_NO_ASAN_TENSOR_CACHE=1 turns
// it off there, to compare against ASan's own allocator.
#include "tensorcache.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define METAAUG_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define METAAUG_ASAN 1
#endif

#ifdef METAAUG_ASAN
#include <sanitizer/asan_interface.h>
#define METAAUG_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define METAAUG_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define METAAUG_POISON(p, n) ((void)(p), (void)(n))
#define METAAUG_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <list>
#include <malloc.h>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace metaaug {

namespace {

#ifdef METAAUG_ASAN
constexpr size_t kMinCachedBytes = 128 * 1024;
constexpr size_t kGranule = 4096;
#else
// glibc's largest mmap threshold: smaller blocks stay in its heap anyway.
constexpr size_t kMinCachedBytes = 32 * 1024 * 1024;
// Rounding to 1 MiB lets a block serve slightly smaller requests of the
// same layer (a last, smaller batch) at under 3 % waste.
constexpr size_t kGranule = 1024 * 1024;
#endif
// Freed blocks held at most; beyond it the oldest are freed.
constexpr size_t kMaxCachedBytes = size_t(1) << 30;

struct Cache {
    std::mutex mutex;
    std::unordered_map<void *, size_t> liveSizes;  // handed-out block -> rounded size
    // Freed blocks, oldest first; evicted from the front when over the cap,
    // so the sizes in use now (MetaAug's T training, then the unit's
    // reconstruction) displace the ones of an earlier phase.
    std::list<std::pair<void *, size_t>> lru;
    std::unordered_map<size_t, std::vector<std::list<std::pair<void *, size_t>>::iterator>> freeBySize;
    size_t cachedBytes = 0;
};

// Never destroyed: tensors may be freed during static destruction, and the
// blocks stay reachable for LeakSanitizer through this pointer.
Cache *cache()
{
    static Cache *c = new Cache;
    return c;
}

std::atomic<bool> g_installed{false};
// Bytes of live tensors (handed out, not yet released) and their high-water
// mark since resetPeakTensorBytes(): what the memory plan's probes read.
std::atomic<int64_t> g_liveBytes{0}, g_peakBytes{0};

void addLive(int64_t bytes)
{
    const int64_t now = g_liveBytes.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    int64_t peak = g_peakBytes.load(std::memory_order_relaxed);
    while (now > peak && !g_peakBytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

void freeBlock(void *p, size_t size)
{
    METAAUG_UNPOISON(p, size);
    std::free(p);
}

// Called with the mutex held and the cache not empty.
void evictOldest(Cache &c)
{
    const auto [p, size] = c.lru.front();
    auto &same = c.freeBySize[size];
    same.erase(std::find(same.begin(), same.end(), c.lru.begin()));
    c.lru.pop_front();
    c.cachedBytes -= size;
    freeBlock(p, size);
}

void release(void *ptr)
{
    if (!ptr)
        return;
    Cache &c = *cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    auto it = c.liveSizes.find(ptr);
    if (it == c.liveSizes.end()) {
        addLive(-int64_t(malloc_usable_size(ptr)));
        std::free(ptr);
        return;
    }
    const size_t size = it->second;
    addLive(-int64_t(size));
    c.liveSizes.erase(it);
    if (size > kMaxCachedBytes) {
        std::free(ptr);
        return;
    }
    while (c.cachedBytes + size > kMaxCachedBytes)
        evictOldest(c);
    METAAUG_POISON(ptr, size);
    c.freeBySize[size].push_back(c.lru.insert(c.lru.end(), {ptr, size}));
    c.cachedBytes += size;
}

void *acquire(size_t bytes)
{
    if (bytes < kMinCachedBytes) {
        void *p = nullptr;
        if (posix_memalign(&p, 64, bytes ? bytes : 1) != 0)
            throw std::bad_alloc();
        addLive(int64_t(malloc_usable_size(p)));
        return p;
    }
    const size_t size = (bytes + kGranule - 1) / kGranule * kGranule;
    Cache &c = *cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    void *p = nullptr;
    auto it = c.freeBySize.find(size);
    if (it != c.freeBySize.end() && !it->second.empty()) {
        p = it->second.back()->first;
        c.lru.erase(it->second.back());
        it->second.pop_back();
        c.cachedBytes -= size;
        METAAUG_UNPOISON(p, size);
    } else if (posix_memalign(&p, 64, size) != 0) {
        throw std::bad_alloc();
    }
    // The rounding slack stays poisoned: reads past the tensor still fail.
    METAAUG_POISON(static_cast<char *>(p) + bytes, size - bytes);
    c.liveSizes.emplace(p, size);
    addLive(int64_t(size));
    return p;
}

struct TensorCache final : c10::Allocator {
    c10::DataPtr allocate(size_t bytes) const override
    {
        void *p = acquire(bytes);
        return {p, p, &release, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &release; }
};

TensorCache g_allocator;

#ifdef METAAUG_ASAN
const bool g_asanInstalled = [] {
    const char *off = std::getenv("METAAUG_NO_ASAN_TENSOR_CACHE");
    if (!(off && *off && *off != '0'))
        installTensorCache();
    return true;
}();
#endif

}  // namespace

void installTensorCache()
{
    if (!g_installed.exchange(true))
        c10::SetCPUAllocator(&g_allocator, /*priority=*/1);
}

bool tensorCacheInstalled() { return g_installed; }

void releaseTensorCache()
{
    Cache &c = *cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (const auto &[p, size] : c.lru)
        freeBlock(p, size);
    c.lru.clear();
    c.freeBySize.clear();
    c.cachedBytes = 0;
#ifndef METAAUG_ASAN
    // runtime.cpp never lets glibc trim its heap on free (the loop frees and
    // reallocates the same blocks); between phases the free pages go back,
    // in every arena, so one phase's high-water mark does not stay resident.
    malloc_trim(0);
#endif
}

void resetPeakTensorBytes() { g_peakBytes.store(g_liveBytes.load()); }

int64_t liveTensorBytes() { return g_liveBytes.load(); }

int64_t peakTensorBytes() { return g_peakBytes.load(); }

int64_t tensorCacheBytes()
{
    Cache &c = *cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    return int64_t(c.cachedBytes);
}

}  // namespace metaaug
