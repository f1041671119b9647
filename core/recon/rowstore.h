// SPDX-License-Identifier: GPL-3.0-or-later
// A cached tensor of N rows ([N, ...]) that lives in memory or, beyond the
// run's memory budget, in files of the run's temporary folder: written once,
// a batch at a time, and read by rows with pread (a file read leaves no
// resident pages in the process, unlike a mapping). Rows may be stored at
// reduced precision (float16, bfloat16) and are read back as float32.
#pragma once

#include <torch/torch.h>

#include <QtCore/QStringList>

#include <memory>
#include <vector>

namespace metaaug::recon {

// The cache precisions a run can choose, by spec name ("float32", "float16",
// "bfloat16"), and the dtype of one (float32 for an unknown name).
QStringList cacheDtypeNames();
torch::ScalarType cacheDtypeFromName(const QString &name);
QString cacheDtypeName(torch::ScalarType dtype);

// How a run stores its activation caches. The dtype changes results (it is
// part of the run spec); where the rows live does not.
struct CachePolicy {
    torch::ScalarType dtype = torch::kFloat;
    bool onDisk = false;
    QString dir;  // for files; must exist when onDisk
};

class RowStore {
public:
    RowStore() = default;
    // Rows of `t` kept in memory as they are (float32: no copy).
    static RowStore wrap(const torch::Tensor &t);
    // An empty store of `capacity` rows; append() fills it in order.
    RowStore(int64_t capacity, const CachePolicy &policy);
    // `a`'s rows, then `b`'s (no copy; both stay readable).
    static RowStore concat(const RowStore &a, const RowStore &b);

    // Adds rows [k, ...] (any float dtype); the first call fixes the row shape.
    void append(const torch::Tensor &rows);

    bool defined() const { return !m_segments.empty(); }
    int64_t size() const;  // rows written
    const std::vector<int64_t> &rowShape() const { return m_rowShape; }
    bool onDisk() const;
    int64_t bytes() const;  // as stored (memory or disk)
    bool sameAs(const RowStore &o) const;

    // Rows at `idx` (int64, any order, repeats allowed) as float32 [k, ...].
    torch::Tensor rows(const torch::Tensor &idx) const;
    // Rows [begin, end) as float32.
    torch::Tensor slice(int64_t begin, int64_t end) const;
    // All rows as one float32 tensor (for small stores and tests).
    torch::Tensor all() const { return slice(0, size()); }

private:
    struct File;
    struct Segment {
        torch::Tensor memory;          // [capacity, ...] at the stored dtype, or undefined
        std::shared_ptr<File> file;    // or the rows in a file
        int64_t rows = 0;              // rows written
    };
    void readRows(const Segment &s, const int64_t *idx, int64_t k, char *out) const;
    int64_t rowBytes() const;

    std::vector<Segment> m_segments;
    std::vector<int64_t> m_rowShape;
    torch::ScalarType m_dtype = torch::kFloat;
    int64_t m_capacity = 0;
    CachePolicy m_policy;
};

// Applies f to batches of `in`'s rows and appends the results to a new store.
template <typename F>
RowStore mapRows(const RowStore &in, int64_t batch, const CachePolicy &policy, F &&f)
{
    RowStore out(in.size(), policy);
    for (int64_t i = 0; i < in.size(); i += batch)
        out.append(f(in.slice(i, std::min(in.size(), i + batch))));
    return out;
}

}  // namespace metaaug::recon
