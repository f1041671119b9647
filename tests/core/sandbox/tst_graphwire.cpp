// SPDX-License-Identifier: GPL-3.0-or-later
// The loader's reply format: a graph survives the trip exactly, and the
// parent's reader refuses every truncated, oversized or inconsistent reply
// with a message naming what is wrong (it must never read out of bounds or
// hand the executor a node it would index past).
#include "common/paths.h"
#include "graph/executor.h"
#include "sandbox/graphwire.h"
#include "sandbox/modelloader.h"

#include <QtTest/QtTest>

using namespace metaaug;
using namespace metaaug::sandbox;

namespace {

QByteArray encode(const graph::Graph &g)
{
    QByteArray bytes;
    WireWriter out(&bytes);
    const QString why = writeGraphReply(out, g);
    out.flush();
    return why.isEmpty() ? bytes : QByteArray();
}

Result<graph::Graph> decode(const QByteArray &bytes, const WireLimits &limits = {})
{
    BytesSource in(bytes);
    return readGraphReply(in, limits);
}

graph::Graph bundled(const char *file)
{
    auto g = importModelFile(modelsDir() + "/" + file, {}, LoadIsolation::InProcess);
    return g ? *g : graph::Graph{};
}

// x -> Add(x) with one input: an arity the executor would index past.
graph::Graph oneInputAdd()
{
    graph::Graph g;
    graph::Node n;
    n.op = graph::OpKind::Add;
    n.name = "add_0";
    n.inputs = {0};
    n.outputs = {g.addValue("y")};
    g.nodes.push_back(n);
    g.output = n.outputs[0];
    return g;
}

void expectRefused(const Result<graph::Graph> &r, const QString &needle)
{
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(needle), qPrintable(r.error().message));
}

}  // namespace

class TestGraphWire : public QObject {
    Q_OBJECT
private slots:
    void roundTripIsExact_data();
    void roundTripIsExact();
    void everyTruncationIsRefused();
    void headerChecks();
    void inconsistentGraphsAreRefused();
    void limitsAreEnforced();
    void errorReplyKeepsCodeAndMessage();
    void tensorReply();
};

void TestGraphWire::roundTripIsExact_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("resnet20") << "resnet20_fmnist.pt";
    QTest::newRow("mobilenetv2s") << "mobilenetv2s_fmnist.pt";
}

// Every field of every node, every constant and every weight comes back
// bit-identical: the executor's output on a batch is equal, not close.
void TestGraphWire::roundTripIsExact()
{
    QFETCH(QString, file);
    const graph::Graph g = bundled(qPrintable(file));
    QVERIFY(!g.nodes.empty());
    const QByteArray bytes = encode(g);
    QVERIFY(!bytes.isEmpty());
    auto back = decode(bytes);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back->nodes.size(), g.nodes.size());
    QCOMPARE(back->numValues, g.numValues);
    QCOMPARE(back->output, g.output);
    QCOMPARE(back->valueNames, g.valueNames);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const graph::Node &a = g.nodes[i], &b = back->nodes[i];
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.op, a.op);
        QCOMPARE(b.inputs, a.inputs);
        QCOMPARE(b.outputs, a.outputs);
        QCOMPARE(b.modulePath, a.modulePath);
        QCOMPARE(b.moduleStack.size(), a.moduleStack.size());
        QCOMPARE(b.weight.defined(), a.weight.defined());
        if (a.weight.defined())
            QVERIFY(torch::equal(a.weight, b.weight));
    }
    torch::manual_seed(3);
    const torch::Tensor x = torch::randn({4, 1, 28, 28});
    torch::NoGradGuard ng;
    const torch::Tensor expected = graph::Executor(std::make_shared<const graph::Graph>(g)).run(x);
    const torch::Tensor actual = graph::Executor(std::make_shared<const graph::Graph>(*back)).run(x);
    QVERIFY(torch::equal(expected, actual));
}

// Cut anywhere, the reply is refused as ending early (never read past its end).
void TestGraphWire::everyTruncationIsRefused()
{
    const QByteArray bytes = encode(bundled("resnet20_fmnist.pt"));
    QVERIFY(bytes.size() > 1000);
    std::vector<qsizetype> cuts;
    for (qsizetype n = 0; n < 600; ++n)
        cuts.push_back(n);
    for (qsizetype n = 600; n < bytes.size(); n += 997)
        cuts.push_back(n);
    cuts.push_back(bytes.size() - 1);
    for (qsizetype n : cuts) {
        auto r = decode(bytes.left(n));
        QVERIFY2(!r.ok(), qPrintable(QString("a reply cut at %1 of %2 bytes was accepted").arg(n).arg(bytes.size())));
        QVERIFY2(r.error().message.contains("malformed reply") && r.error().message.contains("ended early"),
                 qPrintable(r.error().message));
    }
}

void TestGraphWire::headerChecks()
{
    const QByteArray bytes = encode(bundled("resnet20_fmnist.pt"));
    QByteArray wrongMagic = bytes;
    wrongMagic[0] = 'X';
    expectRefused(decode(wrongMagic), "does not start with the loader's magic");
    QByteArray newer = bytes;
    newer[4] = char(kWireVersion + 1);
    expectRefused(decode(newer), QString("reply version %1").arg(kWireVersion + 1));
    QByteArray tail = bytes;
    tail[tail.size() - 1] = '!';
    expectRefused(decode(tail), "does not end with its trailer");
    // A count larger than the reply could hold: refused by the element budget.
    QByteArray values = bytes;
    const uint32_t huge = 0xfffffff0u;
    std::memcpy(values.data() + 9, &huge, 4);
    expectRefused(decode(values), "values count 4294967280 exceeds");
    // A count within the budget that the data does not back: the reply ends
    // (and nothing was allocated for the entries that never came).
    QByteArray claims = bytes.left(9);
    const uint32_t many = 4000000;
    claims.append(reinterpret_cast<const char *>(&many), 4);
    expectRefused(decode(claims), "ended early");
}

void TestGraphWire::inconsistentGraphsAreRefused()
{
    expectRefused(decode(encode(oneInputAdd())), "node add_0 (add) has 1 inputs (at least 2)");

    graph::Graph early = oneInputAdd();
    early.nodes[0].inputs = {0, 5};  // value 5 does not exist
    expectRefused(decode(encode(early)), "at byte");

    graph::Graph g = bundled("resnet20_fmnist.pt");
    const int conv = g.layers().front();
    graph::Graph flat = g;
    flat.nodes[conv].weight = flat.nodes[conv].weight.flatten();
    expectRefused(decode(encode(flat)), QString("node %1 (conv2d) lacks a floating-point weight of rank 4")
                                            .arg(QString::fromStdString(g.nodes[conv].name)));
    graph::Graph groups = g;
    groups.nodes[conv].groups = 3;
    expectRefused(decode(encode(groups)), "groups for");
    graph::Graph undefinedInput = g;
    undefinedInput.nodes[conv].inputs = {undefinedInput.nodes.back().outputs[0]};
    expectRefused(decode(encode(undefinedInput)), "before it is defined");
}

void TestGraphWire::limitsAreEnforced()
{
    const graph::Graph g = bundled("resnet20_fmnist.pt");
    const QByteArray bytes = encode(g);
    WireLimits tight;
    tight.maxTensorBytes = 4096;
    expectRefused(decode(bytes, tight), "exceeds what is left of the reply's tensor limit");
    WireLimits text;
    text.maxTextBytes = 100;
    expectRefused(decode(bytes, text), "exceeds what is left of the reply's text limit");
    WireLimits few;
    few.maxCount = 10;
    expectRefused(decode(bytes, few), "exceeds what is left of the reply's limit");
}

void TestGraphWire::errorReplyKeepsCodeAndMessage()
{
    QByteArray bytes;
    {
        WireWriter out(&bytes);
        writeErrorReply(out, makeError(ErrorCode::Unsupported, "model m.pt: op aten::elu is not supported"));
    }
    auto r = decode(bytes);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Unsupported);
    QCOMPARE(r.error().message, QString("model m.pt: op aten::elu is not supported"));
}

void TestGraphWire::tensorReply()
{
    const torch::Tensor t = torch::arange(24, torch::kFloat).reshape({2, 3, 4}).transpose(1, 2);
    QByteArray bytes;
    {
        WireWriter out(&bytes);
        writeTensorReply(out, t);
    }
    BytesSource in(bytes);
    auto back = readTensorReply(in);
    QVERIFY(back.ok());
    QVERIFY(torch::equal(*back, t));
    BytesSource cut(bytes.left(bytes.size() - 5));
    QVERIFY(!readTensorReply(cut).ok());
}

QTEST_GUILESS_MAIN(TestGraphWire)
#include "tst_graphwire.moc"
