// SPDX-License-Identifier: GPL-3.0-or-later
#include "rowstore.h"

#include <QtCore/QDir>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <numeric>
#include <stdexcept>
#include <unistd.h>

namespace metaaug::recon {

// An unlinked file: it disappears when the last store reading it is gone,
// also when the process is killed.
struct RowStore::File {
    int fd = -1;
    explicit File(const QString &dir)
    {
        QByteArray path = QDir(dir).filePath(QStringLiteral("cache-XXXXXX")).toLocal8Bit();
        fd = ::mkostemp(path.data(), O_CLOEXEC);
        if (fd < 0)
            throw std::runtime_error("cannot create a cache file in " + dir.toStdString() + ": " + std::strerror(errno));
        ::unlink(path.constData());
    }
    ~File()
    {
        if (fd >= 0)
            ::close(fd);
    }
    void write(const void *data, size_t bytes, int64_t offset) const
    {
        const char *p = static_cast<const char *>(data);
        while (bytes > 0) {
            const ssize_t n = ::pwrite(fd, p, bytes, offset);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw std::runtime_error(std::string("writing the activation cache failed: ") + std::strerror(errno) +
                                         " (is the temporary folder's disk full?)");
            p += n;
            bytes -= size_t(n);
            offset += n;
        }
    }
    void read(void *data, size_t bytes, int64_t offset) const
    {
        char *p = static_cast<char *>(data);
        while (bytes > 0) {
            const ssize_t n = ::pread(fd, p, bytes, offset);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw std::runtime_error(std::string("reading the activation cache failed: ") + std::strerror(errno));
            p += n;
            bytes -= size_t(n);
            offset += n;
        }
    }
};

namespace {
const std::pair<const char *, torch::ScalarType> kCacheDtypes[] = {
    {"float32", torch::kFloat}, {"float16", torch::kHalf}, {"bfloat16", torch::kBFloat16}};
}

QStringList cacheDtypeNames()
{
    QStringList names;
    for (const auto &[name, type] : kCacheDtypes)
        names << QLatin1String(name);
    return names;
}

torch::ScalarType cacheDtypeFromName(const QString &name)
{
    for (const auto &[n, type] : kCacheDtypes)
        if (name == QLatin1String(n))
            return type;
    return torch::kFloat;
}

QString cacheDtypeName(torch::ScalarType dtype)
{
    for (const auto &[n, type] : kCacheDtypes)
        if (type == dtype)
            return QLatin1String(n);
    return QString::fromLatin1(c10::toString(dtype));
}

RowStore RowStore::wrap(const torch::Tensor &t)
{
    RowStore s;
    Segment seg;
    seg.memory = t.contiguous();
    seg.rows = t.size(0);
    s.m_segments.push_back(seg);
    s.m_rowShape = t.sizes().slice(1).vec();
    s.m_dtype = t.scalar_type();
    s.m_capacity = seg.rows;
    s.m_policy.dtype = s.m_dtype;
    return s;
}

RowStore::RowStore(int64_t capacity, const CachePolicy &policy) : m_dtype(policy.dtype), m_capacity(capacity), m_policy(policy) {}

RowStore RowStore::concat(const RowStore &a, const RowStore &b)
{
    if (a.m_rowShape != b.m_rowShape || a.m_dtype != b.m_dtype)
        throw std::invalid_argument("RowStore::concat: different row shapes or dtypes");
    RowStore s = a;
    s.m_segments.insert(s.m_segments.end(), b.m_segments.begin(), b.m_segments.end());
    s.m_capacity = a.size() + b.size();
    return s;
}

int64_t RowStore::rowBytes() const
{
    return std::accumulate(m_rowShape.begin(), m_rowShape.end(), int64_t(1), std::multiplies<>()) *
           int64_t(c10::elementSize(m_dtype));
}

void RowStore::append(const torch::Tensor &rows)
{
    torch::NoGradGuard ng;
    const torch::Tensor r = rows.detach().to(m_dtype).contiguous();
    if (m_segments.empty()) {
        m_rowShape = r.sizes().slice(1).vec();
        Segment seg;
        if (m_policy.onDisk) {
            seg.file = std::make_shared<File>(m_policy.dir);
        } else {
            std::vector<int64_t> shape{m_capacity};
            shape.insert(shape.end(), m_rowShape.begin(), m_rowShape.end());
            seg.memory = torch::empty(shape, r.options());
        }
        m_segments.push_back(seg);
    }
    Segment &seg = m_segments.back();
    if (r.sizes().slice(1).vec() != m_rowShape || seg.rows + r.size(0) > m_capacity)
        throw std::invalid_argument("RowStore::append: rows of another shape, or more than the capacity");
    if (seg.file)
        seg.file->write(r.data_ptr(), size_t(r.numel() * r.element_size()), seg.rows * rowBytes());
    else
        seg.memory.narrow(0, seg.rows, r.size(0)).copy_(r);
    seg.rows += r.size(0);
}

int64_t RowStore::size() const
{
    int64_t n = 0;
    for (const Segment &s : m_segments)
        n += s.rows;
    return n;
}

bool RowStore::onDisk() const
{
    for (const Segment &s : m_segments)
        if (s.file)
            return true;
    return false;
}

int64_t RowStore::bytes() const
{
    return size() * rowBytes();
}

bool RowStore::sameAs(const RowStore &o) const
{
    if (m_segments.size() != o.m_segments.size())
        return false;
    for (size_t i = 0; i < m_segments.size(); ++i) {
        const Segment &a = m_segments[i], &b = o.m_segments[i];
        if (a.file != b.file || a.rows != b.rows || a.memory.defined() != b.memory.defined() ||
            (a.memory.defined() && !a.memory.is_same(b.memory)))
            return false;
    }
    return true;
}

// Rows idx[0..k) of one segment into `out`, consecutive rows in one read.
void RowStore::readRows(const Segment &s, const int64_t *idx, int64_t k, char *out) const
{
    const int64_t rb = rowBytes();
    for (int64_t i = 0; i < k;) {
        int64_t run = 1;
        while (i + run < k && idx[i + run] == idx[i] + run)
            ++run;
        if (s.file)
            s.file->read(out + i * rb, size_t(run * rb), idx[i] * rb);
        else
            std::memcpy(out + i * rb, static_cast<const char *>(s.memory.data_ptr()) + idx[i] * rb, size_t(run * rb));
        i += run;
    }
}

torch::Tensor RowStore::rows(const torch::Tensor &idx) const
{
    torch::NoGradGuard ng;
    if (m_segments.size() == 1 && m_segments[0].memory.defined())
        return m_segments[0].memory.index_select(0, idx).to(torch::kFloat);
    const torch::Tensor index = idx.to(torch::kLong).contiguous();
    const int64_t k = index.numel(), n = size();
    std::vector<int64_t> shape{k};
    shape.insert(shape.end(), m_rowShape.begin(), m_rowShape.end());
    torch::Tensor out = torch::empty(shape, torch::TensorOptions().dtype(m_dtype));
    char *dst = static_cast<char *>(out.data_ptr());
    const int64_t *ix = index.data_ptr<int64_t>();
    const int64_t rb = rowBytes();
    for (int64_t i = 0; i < k; ++i) {
        int64_t row = ix[i];
        if (row < 0 || row >= n)
            throw std::out_of_range("RowStore::rows: row " + std::to_string(row) + " of " + std::to_string(n));
        for (const Segment &s : m_segments) {
            if (row < s.rows) {
                readRows(s, &row, 1, dst + i * rb);
                break;
            }
            row -= s.rows;
        }
    }
    return out.to(torch::kFloat);
}

torch::Tensor RowStore::slice(int64_t begin, int64_t end) const
{
    torch::NoGradGuard ng;
    end = std::min(end, size());
    begin = std::min(begin, end);
    if (m_segments.size() == 1 && m_segments[0].memory.defined())
        return m_segments[0].memory.slice(0, begin, end).to(torch::kFloat);
    std::vector<int64_t> shape{end - begin};
    shape.insert(shape.end(), m_rowShape.begin(), m_rowShape.end());
    torch::Tensor out = torch::empty(shape, torch::TensorOptions().dtype(m_dtype));
    char *dst = static_cast<char *>(out.data_ptr());
    const int64_t rb = rowBytes();
    int64_t first = 0;  // first row of the segment
    for (const Segment &s : m_segments) {
        const int64_t lo = std::max(begin, first), hi = std::min(end, first + s.rows);
        if (lo < hi) {
            std::vector<int64_t> local(size_t(hi - lo));
            std::iota(local.begin(), local.end(), lo - first);
            readRows(s, local.data(), hi - lo, dst + (lo - begin) * rb);
        }
        first += s.rows;
    }
    return out.to(torch::kFloat);
}

}  // namespace metaaug::recon
