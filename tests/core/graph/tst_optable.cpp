// SPDX-License-Identifier: GPL-3.0-or-later
// Every op kind of the graph IR, walked one by one: a small model using it
// (conv -> the op -> pool -> flatten -> linear) must run on the executor,
// and every registered exporter must write it or refuse it naming an op of
// the model. A new OpKind that the executor or an exporter forgot fails here.
#include "export/quantizedstate.h"
#include "graph/graph.h"
#include "jobs/exportjob.h"
#include "model/model.h"
#include "plugin/pluginregistry.h"
#include "quant/bitpolicy.h"
#include "quant/quantizedmodel.h"

#include "tolerances.h"

#include <torch/script.h>

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;
using graph::Graph;
using graph::Node;
using graph::OpKind;

namespace {

constexpr int kChannels = 3, kSide = 8, kWidth = 4;  // input 3x8x8, the first conv makes 4 channels

// Builds a graph node by node.
struct Builder {
    Graph g;
    Node &add(OpKind op, std::vector<int> inputs, int outputs = 1)
    {
        Node n;
        n.op = op;
        n.name = std::string(graph::opKindName(op)) + "_" + std::to_string(g.nodes.size());
        n.inputs = std::move(inputs);
        for (int i = 0; i < outputs; ++i)
            n.outputs.push_back(g.addValue(n.name + "_out" + std::to_string(i)));
        g.nodes.push_back(std::move(n));
        return g.nodes.back();
    }
    int out() const { return g.nodes.back().outputs[0]; }
    int constant(c10::IValue v)
    {
        const int id = g.addValue("const" + std::to_string(g.numValues));
        g.constants[size_t(id)] = std::move(v);
        return id;
    }
    int unary(OpKind op, int x) { add(op, {x}); return out(); }
    // x.reshape([x.size(0), -1, kSide, kSide]) through size / tensor / int / list.
    int reshapeChain(int x)
    {
        Node &size = add(OpKind::Size, {x});
        size.dims = {0};
        const int s = out();
        const int t = unary(OpKind::NumToTensor, s);
        const int i = unary(OpKind::ToInt, t);
        add(OpKind::ListConstruct, {i, constant(int64_t(-1)), constant(int64_t(kSide)), constant(int64_t(kSide))});
        const int shape = out();
        add(OpKind::Reshape, {x, shape});
        return out();
    }
};

// The body that puts `op` between the first conv's output `x` and the tail;
// returns the 4-D value the tail continues from (or 2-D after flatten).
int body(Builder &b, OpKind op, int x)
{
    switch (op) {
    case OpKind::Conv2d:
    case OpKind::Linear:
        return x;  // in every model
    case OpKind::BatchNorm: {
        Node &n = b.add(op, {x});
        n.bnMean = torch::zeros({kWidth});
        n.bnVar = torch::ones({kWidth});
        n.bnWeight = torch::ones({kWidth});
        n.bnBias = torch::zeros({kWidth});
        n.bnScale = n.bnWeight / torch::sqrt(n.bnVar + n.bnEps);
        n.bnShift = n.bnBias - n.bnMean * n.bnScale;
        return b.out();
    }
    case OpKind::Clamp: {
        Node &n = b.add(op, {x});
        n.minValue = 0.0;
        n.maxValue = 6.0;
        return b.out();
    }
    case OpKind::Add:
    case OpKind::Sub:
    case OpKind::Mul:
    case OpKind::Div:
        b.add(op, {x, x});
        return b.out();
    case OpKind::MaxPool2d:
    case OpKind::AvgPool2d: {
        Node &n = b.add(op, {x});
        n.kernel = {2, 2};
        n.stride = {2, 2};
        n.padding = {0, 0};
        n.dilation = {1, 1};
        return b.out();
    }
    case OpKind::AdaptiveAvgPool2d:
        b.add(op, {x}).outputSize = {2, 2};
        return b.out();
    case OpKind::Mean: {
        Node &n = b.add(op, {x});
        n.dims = {2, 3};
        n.keepDim = true;
        return b.out();
    }
    case OpKind::Flatten:
        b.add(op, {x}).dims = {1, -1};
        return b.out();
    case OpKind::Transpose:
        b.add(op, {x}).dims = {2, 3};
        return b.out();
    case OpKind::Permute:
        b.add(op, {x}).dims = {0, 1, 3, 2};
        return b.out();
    case OpKind::Softmax:
    case OpKind::LogSoftmax:
        b.add(op, {x}).dims = {1};
        return b.out();
    case OpKind::LayerNorm: {
        Node &n = b.add(op, {x});
        n.bnWeight = torch::rand({kSide}) + 0.5;
        n.bnBias = torch::randn({kSide});
        n.bnEps = 1e-6;
        return b.out();
    }
    case OpKind::Slice: {
        Node &n = b.add(op, {x});
        n.dims = {1};
        n.sliceStart = 1;  // channels 1..end
        return b.out();
    }
    case OpKind::Pad:
        b.add(op, {x}).padding = {1, 0, 2, 1};  // width: 1 before; height: 2 before, 1 after
        return b.out();
    case OpKind::Cat:
    case OpKind::ListConstruct: {
        b.add(OpKind::ListConstruct, {x, x});
        const int list = b.out();
        b.add(OpKind::Cat, {list}).dims = {1};
        return b.out();
    }
    case OpKind::Chunk:
    case OpKind::ListUnpack: {
        Node &c = b.add(OpKind::Chunk, {x});
        c.chunks = 2;
        c.dims = {1};
        const int list = b.out();
        Node &u = b.add(OpKind::ListUnpack, {list}, 2);
        const int first = u.outputs[0], second = u.outputs[1];
        b.add(OpKind::Add, {first, second});
        return b.out();
    }
    case OpKind::Reshape:
    case OpKind::Size:
    case OpKind::ToInt:
    case OpKind::NumToTensor:
        return b.reshapeChain(x);
    default:  // unary ops: relu, hardswish, hardsigmoid, silu, sigmoid, gelu, contiguous, identity
        return b.unary(op, x);
    }
}

// conv -> body(op) -> [pool -> flatten] -> linear: 2-D logits as the engine needs.
std::shared_ptr<const Graph> modelWith(OpKind op)
{
    Builder b;
    Node &conv = b.add(OpKind::Conv2d, {0});
    conv.weight = torch::randn({kWidth, kChannels, 1, 1});
    conv.bias = torch::zeros({kWidth});
    conv.kernel = {1, 1};
    conv.stride = {1, 1};
    conv.padding = {0, 0};
    conv.dilation = {1, 1};
    int v = body(b, op, b.out());
    // The width the tail sees: run what is built so far.
    b.g.output = v;
    graph::Executor probe(std::make_shared<const Graph>(b.g));
    const torch::Tensor y = probe.run(torch::zeros({1, kChannels, kSide, kSide}));
    if (y.dim() == 4) {
        b.add(OpKind::AdaptiveAvgPool2d, {v}).outputSize = {1, 1};
        b.add(OpKind::Flatten, {b.out()}).dims = {1, -1};
        v = b.out();
    }
    const int64_t features = y.size(1);  // channels after pooling, or the flattened width
    Node &fc = b.add(OpKind::Linear, {v});
    fc.weight = torch::randn({3, features});
    fc.bias = torch::zeros({3});
    b.g.output = b.out();
    graph::checkWellFormed(b.g);
    return std::make_shared<const Graph>(std::move(b.g));
}

ModelCard card()
{
    ModelCard c;
    c.name = QStringLiteral("op-table model");
    c.preprocess.channels = kChannels;
    c.preprocess.resize = c.preprocess.height = c.preprocess.width = kSide;
    c.preprocess.mean = {0.5};
    c.preprocess.std = {0.25};
    return c;
}

}  // namespace

class TestOpTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyOpRunsAndExportsOrIsNamed_data();
    void everyOpRunsAndExportsOrIsNamed();
};

void TestOpTable::everyOpRunsAndExportsOrIsNamed_data()
{
    QTest::addColumn<int>("kind");
    for (int k = 0; k < graph::kOpKindCount; ++k)
        QTest::newRow(graph::opKindName(OpKind(k))) << k;
}

void TestOpTable::everyOpRunsAndExportsOrIsNamed()
{
    QFETCH(int, kind);
    const OpKind op = OpKind(kind);
    torch::manual_seed(kind);
    std::shared_ptr<const Graph> g;
    try {
        g = modelWith(op);
    } catch (const std::exception &e) {
        QFAIL(qPrintable(QStringLiteral("the executor cannot run a model with %1: %2").arg(graph::opKindName(op), e.what())));
    }
    QStringList ops;
    for (const Node &n : g->nodes)
        ops << QLatin1String(graph::opKindName(n.op));
    QVERIFY2(ops.contains(QLatin1String(graph::opKindName(op))), qPrintable(ops.join(' ')));

    auto model = Model::fromGraph(g, card(), QStringLiteral("optable-%1").arg(graph::opKindName(op)));
    QVERIFY2(model, model ? "" : qPrintable(model.error().message));
    const torch::Tensor images = torch::rand({8, kChannels, kSide, kSide});
    QVERIFY(model->forward(images));
    quant::QuantizedModel q(model->sharedExecutor(), quant::planBits(model->executor(), 4, 4, quant::BitSetting::QDrop));
    q.initializeActivations(images);
    auto state = exporting::captureState(q, model->graph());
    QVERIFY2(state, state ? "" : qPrintable(state.error().message));

    QTemporaryDir dir;
    const auto exporters = exporting::PluginRegistry::instance().exporters();
    QVERIFY2(exporters.size() >= 3, "the export plugins are not loaded");
    for (const exporting::Exporter *e : exporters) {
        const QString path = dir.filePath(QStringLiteral("model.%1").arg(e->fileSuffix()));
        auto written = exporting::exportModel(*model, *state, QJsonObject{}, e->id(), path);
        if (written && e->id() == QLatin1String("torchscript")) {
            // The written program computes what the engine computes, quantized.
            torch::NoGradGuard noGrad;
            auto module = torch::jit::load(path.toStdString());
            const torch::Tensor exported = module.forward({images}).toTensor();
            const torch::Tensor engine = model->executor().run(images, &q);
            const double diff = (exported - engine).abs().max().item<double>() / std::max(1.0, engine.abs().max().item<double>());
            QVERIFY2(diff <= test::kExportLogitTolerance, qPrintable(QStringLiteral("%1: TorchScript export vs engine %2")
                                                                         .arg(graph::opKindName(op)).arg(diff)));
        }
        if (written)
            continue;
        // A refusal must name an op of the model (and the node), never fail silently or vaguely.
        bool named = false;
        for (const QString &name : ops)
            named = named || written.error().message.contains(QStringLiteral("(%1)").arg(name));
        QVERIFY2(named, qPrintable(QStringLiteral("%1 refused %2 without naming the op: %3")
                                       .arg(e->id(), graph::opKindName(op), written.error().message)));
        qInfo("%s refuses a model with %s: %s", qPrintable(e->id()), graph::opKindName(op), qPrintable(written.error().message));
    }
}

QTEST_GUILESS_MAIN(TestOpTable)
#include "tst_optable.moc"
