// SPDX-License-Identifier: GPL-3.0-or-later
#include "graphwire.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the reply format is little-endian; this host writes it natively");

namespace metaaug::sandbox {

namespace {

constexpr char kMagic[4] = {'M', 'A', 'G', 'W'};
constexpr char kTrailer[4] = {'D', 'O', 'N', 'E'};
constexpr uint32_t kMaxRank = 8;

// Tensor element types on the wire; 0 is an undefined tensor.
struct DtypeCode {
    uint8_t code;
    c10::ScalarType type;
};
constexpr DtypeCode kDtypes[] = {
    {1, c10::ScalarType::Float}, {2, c10::ScalarType::Double}, {3, c10::ScalarType::Half},  {4, c10::ScalarType::BFloat16},
    {5, c10::ScalarType::Long},  {6, c10::ScalarType::Int},    {7, c10::ScalarType::Short}, {8, c10::ScalarType::Char},
    {9, c10::ScalarType::Byte},  {10, c10::ScalarType::Bool},
};

// Constants (c10::IValue) the graph IR holds.
enum class ValueTag : uint8_t { None = 0, Int, Double, Bool, String, IntList, DoubleList, BoolList, Tensor, TensorList };

// A wire error: what is wrong, with the byte offset appended by the reader.
struct WireError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace

// ---- writing (the helper) --------------------------------------------------

void WireWriter::direct(const void *data, size_t size)
{
    const char *p = static_cast<const char *>(data);
    if (m_out) {
        m_out->append(p, qsizetype(size));
        return;
    }
    while (m_ok && size > 0) {
        const ssize_t n = ::write(m_fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_ok = false;
            return;
        }
        p += n;
        size -= size_t(n);
    }
}

void WireWriter::raw(const void *data, size_t size)
{
    m_buffer.append(static_cast<const char *>(data), size);
    if (m_buffer.size() >= (1 << 16))
        flush();
}

void WireWriter::flush()
{
    direct(m_buffer.data(), m_buffer.size());
    m_buffer.clear();
}

void WireWriter::header(ReplyKind kind)
{
    raw(kMagic, 4);
    u32(kWireVersion);
    u8(uint8_t(kind));
}

void WireWriter::end()
{
    raw(kTrailer, 4);
    flush();
}

void WireWriter::string(const std::string &s)
{
    u32(uint32_t(s.size()));
    raw(s.data(), s.size());
}

void WireWriter::tensor(const torch::Tensor &t)
{
    if (!t.defined()) {
        u8(0);
        return;
    }
    uint8_t code = 0;
    for (const DtypeCode &d : kDtypes)
        if (d.type == t.scalar_type())
            code = d.code;
    if (code == 0)
        throw std::invalid_argument(std::string("a tensor of type ") + c10::toString(t.scalar_type()) + " cannot be sent");
    const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
    u8(code);
    u32(uint32_t(c.dim()));
    for (int64_t d : c.sizes())
        i64(d);
    flush();
    direct(c.data_ptr(), size_t(c.numel()) * c.element_size());
}

namespace {

// The node's fields in wire order, for writing (Put) and reading (Get) alike:
// the one list of what a node carries besides its op.
template <typename V, typename N>
void nodeFields(V &v, N &n)
{
    v.text(n.name);
    v.text(n.modulePath);
    v.text(n.sourceKind);
    v.text(n.sourceLocation);
    v.frames(n.moduleStack);
    v.ids(n.inputs);
    v.ids(n.outputs);
    for (auto *t : {&n.weight, &n.bias, &n.bnScale, &n.bnShift, &n.bnMean, &n.bnVar, &n.bnWeight, &n.bnBias})
        v.tensor(*t);
    v.real(n.bnEps);
    v.flag(n.tanhGelu);
    v.integer(n.sliceStart);
    v.integer(n.sliceEnd);
    v.integer(n.sliceStep);
    v.ints(n.kernel);
    v.ints(n.stride);
    v.ints(n.padding);
    v.ints(n.dilation);
    v.integer(n.groups);
    v.flag(n.ceilMode);
    v.flag(n.countIncludePad);
    v.optInt(n.divisorOverride);
    v.optReal(n.minValue);
    v.optReal(n.maxValue);
    v.real(n.alpha);
    v.flag(n.floorDiv);
    v.ints(n.dims);
    v.flag(n.keepDim);
    v.integer(n.chunks);
    v.ints(n.splitSizes);
    v.ints(n.outputSize);
}

struct Put {
    WireWriter &w;
    void text(const std::string &s) { w.string(s); }
    void frames(const std::vector<graph::ModuleFrame> &fs)
    {
        w.u32(uint32_t(fs.size()));
        for (const auto &f : fs) {
            w.string(f.instance);
            w.string(f.className);
        }
    }
    template <typename T>
    void list(const std::vector<T> &xs)
    {
        w.u32(uint32_t(xs.size()));
        for (T x : xs)
            w.i64(int64_t(x));
    }
    void ids(const std::vector<int> &xs) { list(xs); }
    void ints(const std::vector<int64_t> &xs) { list(xs); }
    void tensor(const torch::Tensor &t) { w.tensor(t); }
    void real(double d) { w.f64(d); }
    void flag(bool b) { w.u8(b ? 1 : 0); }
    void integer(int64_t i) { w.i64(i); }
    void optInt(const std::optional<int64_t> &o)
    {
        w.u8(o ? 1 : 0);
        if (o)
            w.i64(*o);
    }
    void optReal(const std::optional<double> &o)
    {
        w.u8(o ? 1 : 0);
        if (o)
            w.f64(*o);
    }
};

// Why a constant cannot go on the wire, or empty.
QString unsendable(const c10::IValue &v)
{
    if (v.isNone() || v.isInt() || v.isDouble() || v.isBool() || v.isString() || v.isIntList() || v.isDoubleList() ||
        v.isBoolList() || v.isTensorList())
        return {};
    if (v.isTensor())
        for (const DtypeCode &d : kDtypes)
            if (d.type == v.toTensor().scalar_type())
                return {};
    return QStringLiteral("a constant of type %1").arg(QString::fromStdString(v.tagKind()));
}

void putValue(WireWriter &w, const c10::IValue &v)
{
    auto tag = [&](ValueTag t) { w.u8(uint8_t(t)); };
    if (v.isNone()) {
        tag(ValueTag::None);
    } else if (v.isInt()) {
        tag(ValueTag::Int);
        w.i64(v.toInt());
    } else if (v.isDouble()) {
        tag(ValueTag::Double);
        w.f64(v.toDouble());
    } else if (v.isBool()) {
        tag(ValueTag::Bool);
        w.u8(v.toBool() ? 1 : 0);
    } else if (v.isString()) {
        tag(ValueTag::String);
        w.string(v.toStringRef());
    } else if (v.isIntList()) {
        tag(ValueTag::IntList);
        Put{w}.ints(v.toIntVector());
    } else if (v.isDoubleList()) {
        tag(ValueTag::DoubleList);
        const auto xs = v.toDoubleVector();
        w.u32(uint32_t(xs.size()));
        for (double x : xs)
            w.f64(x);
    } else if (v.isBoolList()) {
        tag(ValueTag::BoolList);
        const auto xs = v.toBoolList();
        w.u32(uint32_t(xs.size()));
        for (bool x : xs)
            w.u8(x ? 1 : 0);
    } else if (v.isTensorList()) {
        tag(ValueTag::TensorList);
        const auto xs = v.toTensorVector();
        w.u32(uint32_t(xs.size()));
        for (const auto &x : xs)
            w.tensor(x);
    } else {
        tag(ValueTag::Tensor);
        w.tensor(v.toTensor());
    }
}

}  // namespace

QString writeGraphReply(WireWriter &out, const graph::Graph &g)
{
    for (int v = 0; v < g.numValues; ++v)
        if (g.isConstant(v))
            if (const QString why = unsendable(*g.constants[v]); !why.isEmpty())
                return QStringLiteral("value %1 is %2, which the loader cannot send back")
                    .arg(QString::fromStdString(v < int(g.valueNames.size()) ? g.valueNames[v] : std::to_string(v)), why);
    out.header(ReplyKind::Graph);
    out.u32(uint32_t(g.numValues));
    out.i64(g.output);
    Put put{out};
    put.ints(g.declaredInput);
    for (int v = 0; v < g.numValues; ++v)
        out.string(v < int(g.valueNames.size()) ? g.valueNames[v] : std::string());
    uint32_t constants = 0;
    for (int v = 0; v < g.numValues; ++v)
        constants += g.isConstant(v) ? 1 : 0;
    out.u32(constants);
    for (int v = 0; v < g.numValues; ++v)
        if (g.isConstant(v)) {
            out.u32(uint32_t(v));
            putValue(out, *g.constants[v]);
        }
    out.u32(uint32_t(g.nodes.size()));
    for (const graph::Node &n : g.nodes) {
        out.u8(uint8_t(n.op));
        nodeFields(put, n);
    }
    out.end();
    return {};
}

void writeTensorReply(WireWriter &out, const torch::Tensor &tensor)
{
    out.header(ReplyKind::Tensor);
    out.tensor(tensor);
    out.end();
}

void writeErrorReply(WireWriter &out, const Error &error)
{
    out.header(ReplyKind::Error);
    out.u32(uint32_t(error.code));
    out.string(error.message.toStdString().substr(0, 1 << 16));
    out.end();
}

// ---- reading (the parent) --------------------------------------------------

bool BytesSource::read(void *dst, size_t size)
{
    if (size > size_t(m_bytes.size() - m_at))
        return false;
    std::memcpy(dst, m_bytes.constData() + m_at, size);
    m_at += qsizetype(size);
    return true;
}

namespace {

class WireReader {
public:
    WireReader(WireSource &source, const WireLimits &limits)
        : m_source(source), m_tensorBytesLeft(limits.maxTensorBytes), m_textBytesLeft(limits.maxTextBytes),
          m_elementsLeft(limits.maxCount)
    {
    }

    [[noreturn]] void fail(const QString &why) const
    {
        throw WireError(QStringLiteral("%1 at byte %2").arg(why).arg(m_offset).toStdString());
    }

    void need(void *dst, size_t size, const char *what)
    {
        if (size > 0 && !m_source.read(dst, size))
            fail(QStringLiteral("%1 while reading %2").arg(m_source.failure(), QLatin1String(what)));
        m_offset += int64_t(size);
    }
    template <typename T>
    T scalar(const char *what)
    {
        T v;
        need(&v, sizeof v, what);
        return v;
    }
    uint8_t u8(const char *what) { return scalar<uint8_t>(what); }
    uint32_t u32(const char *what) { return scalar<uint32_t>(what); }
    int64_t i64(const char *what) { return scalar<int64_t>(what); }
    double f64(const char *what) { return scalar<double>(what); }
    bool flag(const char *what)
    {
        const uint8_t b = u8(what);
        if (b > 1)
            fail(QStringLiteral("%1 is %2, not 0 or 1").arg(QLatin1String(what)).arg(b));
        return b == 1;
    }

    // A count of `what` elements, charged to the reply's element budget.
    uint32_t count(const char *what)
    {
        const uint32_t n = u32(what);
        if (int64_t(n) > m_elementsLeft)
            fail(QStringLiteral("%1 count %2 exceeds what is left of the reply's limit (%3 elements)")
                     .arg(QLatin1String(what)).arg(n).arg(m_elementsLeft));
        m_elementsLeft -= n;
        return n;
    }
    std::string string(const char *what)
    {
        const uint32_t n = u32(what);
        if (int64_t(n) > m_textBytesLeft)
            fail(QStringLiteral("%1 of %2 bytes exceeds what is left of the reply's text limit (%3 bytes)")
                     .arg(QLatin1String(what)).arg(n).arg(m_textBytesLeft));
        m_textBytesLeft -= n;
        std::string s(n, '\0');
        need(s.data(), n, what);
        return s;
    }
    // Lists grow as their elements arrive, never by a count alone: a reply
    // that claims millions of entries and ends costs what it sent.
    std::vector<int64_t> ints(const char *what)
    {
        std::vector<int64_t> xs;
        for (uint32_t i = 0, n = count(what); i < n; ++i)
            xs.push_back(i64(what));
        return xs;
    }

    torch::Tensor tensor(const char *what)
    {
        const uint8_t code = u8(what);
        if (code == 0)
            return {};
        const DtypeCode *type = nullptr;
        for (const DtypeCode &d : kDtypes)
            if (d.code == code)
                type = &d;
        if (!type)
            fail(QStringLiteral("%1 has unknown element type code %2").arg(QLatin1String(what)).arg(code));
        const uint32_t rank = u32(what);
        if (rank > kMaxRank)
            fail(QStringLiteral("%1 has rank %2 (at most %3)").arg(QLatin1String(what)).arg(rank).arg(kMaxRank));
        const int64_t elementSize = int64_t(c10::elementSize(type->type));
        std::vector<int64_t> dims(rank);
        int64_t numel = 1;
        for (int64_t &d : dims) {
            d = i64(what);
            if (d < 0)
                fail(QStringLiteral("%1 has a negative dimension %2").arg(QLatin1String(what)).arg(d));
            // numel * d * elementSize must stay within the budget (no overflow: checked by division).
            if (d > 0 && numel > m_tensorBytesLeft / elementSize / d)
                fail(QStringLiteral("%1 of shape %2... exceeds what is left of the reply's tensor limit (%3 bytes)")
                         .arg(QLatin1String(what)).arg(d).arg(m_tensorBytesLeft));
            numel *= d;
        }
        const int64_t bytes = numel * elementSize;
        m_tensorBytesLeft -= bytes;
        torch::Tensor t = torch::empty(dims, torch::TensorOptions().dtype(type->type));
        need(t.data_ptr(), size_t(bytes), what);
        return t;
    }

    c10::IValue value(const char *what)
    {
        const uint8_t tag = u8(what);
        switch (ValueTag(tag)) {
        case ValueTag::None: return c10::IValue();
        case ValueTag::Int: return c10::IValue(i64(what));
        case ValueTag::Double: return c10::IValue(f64(what));
        case ValueTag::Bool: return c10::IValue(flag(what));
        case ValueTag::String: return c10::IValue(string(what));
        case ValueTag::IntList: return c10::IValue(ints(what));
        case ValueTag::DoubleList: {
            std::vector<double> xs;
            for (uint32_t i = 0, n = count(what); i < n; ++i)
                xs.push_back(f64(what));
            return c10::IValue(xs);
        }
        case ValueTag::BoolList: {
            c10::List<bool> xs;
            for (uint32_t i = 0, n = count(what); i < n; ++i)
                xs.push_back(flag(what));
            return c10::IValue(xs);
        }
        case ValueTag::Tensor: {
            torch::Tensor t = tensor(what);
            if (!t.defined())
                fail(QStringLiteral("%1 is an undefined tensor").arg(QLatin1String(what)));
            return c10::IValue(t);
        }
        case ValueTag::TensorList: {
            std::vector<torch::Tensor> xs;
            for (uint32_t i = 0, n = count(what); i < n; ++i) {
                xs.push_back(tensor(what));
                if (!xs.back().defined())
                    fail(QStringLiteral("%1 holds an undefined tensor").arg(QLatin1String(what)));
            }
            return c10::IValue(xs);
        }
        }
        fail(QStringLiteral("%1 has unknown value tag %2").arg(QLatin1String(what)).arg(tag));
    }

    void expectHeader(ReplyKind expected)
    {
        char magic[4];
        need(magic, 4, "the reply's magic");
        if (std::memcmp(magic, kMagic, 4) != 0)
            fail(QStringLiteral("the reply does not start with the loader's magic"));
        const uint32_t version = u32("the reply's version");
        if (version != kWireVersion)
            fail(QStringLiteral("reply version %1; this program reads version %2").arg(version).arg(kWireVersion));
        const uint8_t kind = u8("the reply's kind");
        if (kind == uint8_t(ReplyKind::Error)) {
            const uint32_t code = u32("the error code");
            if (code > uint32_t(ErrorCode::Internal))
                fail(QStringLiteral("unknown error code %1").arg(code));
            const std::string message = string("the error message");
            expectTrailer();
            throw Error{ErrorCode(code), QString::fromStdString(message)};
        }
        if (kind != uint8_t(expected))
            fail(QStringLiteral("reply kind %1 where %2 was asked for").arg(kind).arg(uint8_t(expected)));
    }
    void expectTrailer()
    {
        char end[4];
        need(end, 4, "the reply's trailer");
        if (std::memcmp(end, kTrailer, 4) != 0)
            fail(QStringLiteral("the reply does not end with its trailer"));
    }

private:
    WireSource &m_source;
    int64_t m_offset = 0;
    int64_t m_tensorBytesLeft, m_textBytesLeft, m_elementsLeft;
};

struct Get {
    WireReader &r;
    void text(std::string &s) { s = r.string("a node's text"); }
    void frames(std::vector<graph::ModuleFrame> &fs)
    {
        fs.clear();
        for (uint32_t i = 0, n = r.count("module frames"); i < n; ++i) {
            graph::ModuleFrame f;
            f.instance = r.string("a module frame");
            f.className = r.string("a module frame");
            fs.push_back(std::move(f));
        }
    }
    void ids(std::vector<int> &xs)
    {
        xs.clear();
        for (int64_t v : r.ints("value ids")) {
            if (v < 0 || v > INT32_MAX)
                r.fail(QStringLiteral("value id %1 out of range").arg(v));
            xs.push_back(int(v));
        }
    }
    void ints(std::vector<int64_t> &xs) { xs = r.ints("an int list"); }
    void tensor(torch::Tensor &t) { t = r.tensor("a node's tensor"); }
    void real(double &d) { d = r.f64("a number"); }
    void flag(bool &b) { b = r.flag("a flag"); }
    void integer(int64_t &i) { i = r.i64("an integer"); }
    void optInt(std::optional<int64_t> &o)
    {
        o.reset();
        if (r.flag("an optional's flag"))
            o = r.i64("an optional integer");
    }
    void optReal(std::optional<double> &o)
    {
        o.reset();
        if (r.flag("an optional's flag"))
            o = r.f64("an optional number");
    }
};

// Conv and pool parameters may come as one value for both spatial dims;
// the exporters index two.
void expandPairs(graph::Node &n)
{
    for (auto *xs : {&n.kernel, &n.stride, &n.padding, &n.dilation})
        if (xs->size() == 1)
            xs->push_back(xs->front());
}

graph::Graph readGraph(WireReader &r)
{
    r.expectHeader(ReplyKind::Graph);
    graph::Graph g;
    const uint32_t values = r.count("values");
    if (values < 1)
        r.fail(QStringLiteral("a graph without values"));
    g.numValues = int(values);
    const int64_t output = r.i64("the output id");
    if (output < 0 || output >= values)
        r.fail(QStringLiteral("output id %1 is not one of the %2 values").arg(output).arg(values));
    g.output = int(output);
    g.declaredInput = r.ints("the declared input shape");
    if (g.declaredInput.size() > kMaxRank)
        r.fail(QStringLiteral("a declared input of rank %1").arg(g.declaredInput.size()));
    for (uint32_t v = 0; v < values; ++v)
        g.valueNames.push_back(r.string("a value name"));
    g.constants.resize(values);  // the names arrived: at least 4 bytes per value
    const uint32_t constants = r.count("constants");
    for (uint32_t i = 0; i < constants; ++i) {
        const uint32_t id = r.u32("a constant's id");
        if (id >= values || g.constants[id])
            r.fail(QStringLiteral("constant id %1 is out of range or given twice").arg(id));
        g.constants[id] = r.value("a constant");
    }
    const uint32_t nodes = r.count("nodes");
    Get get{r};
    for (uint32_t i = 0; i < nodes; ++i) {
        graph::Node n;
        const uint8_t op = r.u8("an op");
        if (op >= graph::kOpKindCount)
            r.fail(QStringLiteral("op code %1 is not an op (there are %2)").arg(op).arg(graph::kOpKindCount));
        n.op = graph::OpKind(op);
        nodeFields(get, n);
        expandPairs(n);
        g.nodes.push_back(std::move(n));
    }
    r.expectTrailer();
    if (const QString bad = graphInconsistency(g); !bad.isEmpty())
        r.fail(bad);
    try {
        graph::checkWellFormed(g);
    } catch (const std::invalid_argument &e) {
        r.fail(QString::fromUtf8(e.what()));
    }
    return g;
}

template <typename T, typename F>
Result<T> guarded(F &&read)
{
    try {
        return read();
    } catch (const Error &e) {  // the helper's own refusal
        return e;
    } catch (const WireError &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("malformed reply: %1").arg(QString::fromUtf8(e.what())));
    } catch (const std::exception &e) {  // an allocation within the limits that still failed
        return makeError(ErrorCode::OutOfResources, QStringLiteral("reading the reply failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

}  // namespace

QString graphInconsistency(const graph::Graph &g)
{
    using graph::OpKind;
    if (int(g.valueNames.size()) != g.numValues || int(g.constants.size()) != g.numValues)
        return QStringLiteral("value tables do not match the %1 values").arg(g.numValues);
    for (const graph::Node &n : g.nodes) {
        const QString node = QStringLiteral("node %1 (%2)").arg(QString::fromStdString(n.name), QLatin1String(graph::opKindName(n.op)));
        size_t minInputs = 1, minDims = 0;
        switch (n.op) {
        case OpKind::ListConstruct: minInputs = 0; break;
        case OpKind::Add: case OpKind::Sub: case OpKind::Mul: case OpKind::Div: case OpKind::Reshape: minInputs = 2; break;
        case OpKind::Softmax: case OpKind::LogSoftmax: case OpKind::Slice: case OpKind::Cat: case OpKind::Chunk: minDims = 1; break;
        case OpKind::Flatten: case OpKind::Transpose: minDims = 2; break;
        default: break;
        }
        if (n.inputs.size() < minInputs)
            return QStringLiteral("%1 has %2 inputs (at least %3)").arg(node).arg(n.inputs.size()).arg(minInputs);
        if (n.outputs.empty())
            return QStringLiteral("%1 has no output").arg(node);
        if (n.dims.size() < minDims)
            return QStringLiteral("%1 has %2 dims (at least %3)").arg(node).arg(n.dims.size()).arg(minDims);
        if (n.isLayer()) {
            const int64_t rank = n.op == OpKind::Conv2d ? 4 : 2;
            if (!n.weight.defined() || !n.weight.is_floating_point() || n.weight.dim() != rank || n.weight.size(0) == 0)
                return QStringLiteral("%1 lacks a floating-point weight of rank %2").arg(node).arg(rank);
            if (n.bias.defined() && (n.bias.dim() != 1 || n.bias.size(0) != n.weight.size(0) || !n.bias.is_floating_point()))
                return QStringLiteral("%1 has a bias that does not match its %2 outputs").arg(node).arg(n.weight.size(0));
        }
        if (n.op == OpKind::Conv2d) {
            if (n.groups < 1 || n.weight.size(0) % n.groups != 0)
                return QStringLiteral("%1 has %2 groups for %3 outputs").arg(node).arg(n.groups).arg(n.weight.size(0));
            if (n.stride.size() != 2 || n.padding.size() != 2 || n.dilation.size() != 2)
                return QStringLiteral("%1 lacks two strides, paddings and dilations").arg(node);
        }
        if ((n.op == OpKind::MaxPool2d || n.op == OpKind::AvgPool2d) && (n.kernel.size() != 2 || n.padding.size() != 2))
            return QStringLiteral("%1 lacks two kernel sizes and paddings").arg(node);
        if (n.op == OpKind::BatchNorm &&
            (!n.bnScale.defined() || !n.bnShift.defined() || n.bnScale.dim() != 1 || n.bnShift.sizes() != n.bnScale.sizes()))
            return QStringLiteral("%1 lacks a per-channel scale and shift").arg(node);
        if (n.op == OpKind::Pad && n.padding.size() % 2 != 0)
            return QStringLiteral("%1 has an odd number of paddings").arg(node);
        if (n.op == OpKind::AdaptiveAvgPool2d && n.outputSize.empty())
            return QStringLiteral("%1 has no output size").arg(node);
    }
    return {};
}

Result<graph::Graph> readGraphReply(WireSource &in, const WireLimits &limits)
{
    WireReader r(in, limits);
    return guarded<graph::Graph>([&] { return readGraph(r); });
}

Result<torch::Tensor> readTensorReply(WireSource &in, const WireLimits &limits)
{
    WireReader r(in, limits);
    return guarded<torch::Tensor>([&] {
        r.expectHeader(ReplyKind::Tensor);
        torch::Tensor t = r.tensor("the tensor");
        r.expectTrailer();
        if (!t.defined())
            r.fail(QStringLiteral("an undefined tensor"));
        return t;
    });
}

}  // namespace metaaug::sandbox
