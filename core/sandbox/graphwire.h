// SPDX-License-Identifier: GPL-3.0-or-later
// The loader helper's reply format (docs/sandbox.md): how a graph, a tensor
// or an error comes back from `metaaug-loader` to the program that asked.
//
// It is ours, small and versioned, so that the parent parses no zip, no
// pickle and no protobuf: a reply is
//   "MAGW" u32 version, u8 kind, body, "DONE"
// in little-endian, with every string, list and tensor length-prefixed. A
// tensor is u8 dtype, u32 rank, i64 dims, then its raw elements, written
// and read straight from and into the tensor's memory (weights are
// streamed, never held twice).
//
// The reader trusts nothing: every length and count is checked against the
// limits and the bytes left, every value id against the graph, every op's
// arity against what the executor reads, and the first inconsistency ends
// the parse with an error naming what was wrong and at which byte.
#pragma once

#include "common/result.h"
#include "graph/graph.h"

#include <cstdint>
#include <functional>
#include <string>

namespace metaaug::sandbox {

constexpr uint32_t kWireVersion = 1;

enum class ReplyKind : uint8_t {
    Graph = 1,   // an imported graph
    Tensor = 2,  // reference logits
    Error = 3,   // the helper's own refusal: u32 ErrorCode, string message
};

// Writes to a file descriptor (the helper's stdout) or appends to a byte
// array (the parent's request). Small fields are buffered; tensor data goes
// out directly from the tensor. After a failed write (the reader went away)
// every call is a no-op and ok() is false.
class WireWriter {
public:
    explicit WireWriter(int fd) : m_fd(fd) {}
    explicit WireWriter(QByteArray *out) : m_out(out) {}
    ~WireWriter() { flush(); }
    bool ok() const { return m_ok; }

    void header(ReplyKind kind);
    void end();  // the trailer, then flush
    void u8(uint8_t v) { raw(&v, 1); }
    void u32(uint32_t v) { raw(&v, 4); }
    void i64(int64_t v) { raw(&v, 8); }
    void f64(double v) { raw(&v, 8); }
    void string(const std::string &s);
    void tensor(const torch::Tensor &t);
    void flush();

private:
    void raw(const void *data, size_t size);
    void direct(const void *data, size_t size);
    int m_fd = -1;
    QByteArray *m_out = nullptr;
    std::string m_buffer;
    bool m_ok = true;
};

// Where the parent reads a reply from. read() fills exactly `size` bytes
// or returns false (end of data, timeout, the helper gone); failure() then
// says which, for the message.
class WireSource {
public:
    virtual ~WireSource() = default;
    virtual bool read(void *dst, size_t size) = 0;
    virtual QString failure() const { return QStringLiteral("the reply ended early"); }
};

// A reply held in memory (tests, the fuzz target).
class BytesSource : public WireSource {
public:
    explicit BytesSource(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    bool read(void *dst, size_t size) override;

private:
    QByteArray m_bytes;
    qsizetype m_at = 0;
};

// Budgets for one whole reply, charged before anything is allocated.
struct WireLimits {
    int64_t maxTensorBytes = int64_t(1) << 32;  // all tensor data
    int64_t maxTextBytes = 16 << 20;            // all names and messages
    int64_t maxCount = 1 << 22;                 // values, nodes, list elements
};

// The helper's side. writeGraphReply refuses (returns the reason, having
// written nothing) a graph with a constant the format cannot carry.
QString writeGraphReply(WireWriter &out, const graph::Graph &graph);
void writeTensorReply(WireWriter &out, const torch::Tensor &tensor);
void writeErrorReply(WireWriter &out, const Error &error);

// The parent's side. A reply of kind Error becomes that error (its code and
// message); a malformed reply becomes BadFile "malformed reply: ... at byte
// N". readGraphReply also checks the graph (arity, value ids, layer
// tensors) so that nothing the executor reads is out of range.
Result<graph::Graph> readGraphReply(WireSource &in, const WireLimits &limits = {});
Result<torch::Tensor> readTensorReply(WireSource &in, const WireLimits &limits = {});

// What is inconsistent in `graph` for the executor (an op with too few
// inputs, outputs or dims, a layer without its weight, a value id out of
// range), or empty. Exposed for tests.
QString graphInconsistency(const graph::Graph &graph);

}  // namespace metaaug::sandbox
