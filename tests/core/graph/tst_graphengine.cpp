// SPDX-License-Identifier: GPL-3.0-or-later
// The graph engine against TorchScript on real architectures: translation,
// exact execution, unit partition, hooks.
#include "common/paths.h"
#include "common/runtime.h"
#include "graph/executor.h"
#include "graph/partition.h"
#include "graph/torchscriptimporter.h"

#include "tolerances.h"

#include <QtTest/QtTest>

#include <torch/script.h>

using namespace metaaug;
using namespace metaaug::graph;

namespace {

QString fixture(const QString &file)
{
    if (file.contains("_fmnist"))
        return modelsDir() + "/" + file;
    return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + file;
}

torch::Tensor inputFor(const QString &file, int64_t batch)
{
    torch::manual_seed(42);
    return file.contains("_fmnist") ? torch::randn({batch, 1, 28, 28}) : torch::randn({batch, 3, 224, 224});
}

double relativeDiff(const torch::Tensor &a, const torch::Tensor &ref)
{
    return (a - ref).abs().max().item<double>() / std::max(1.0, ref.abs().max().item<double>());
}

// Counts hook calls and substitutes nothing.
struct CountingHooks : ExecutionHooks {
    std::map<int, int> activationCalls;
    int weightCalls = 0;
    torch::Tensor weight(int node, const Node &layer) override
    {
        ++weightCalls;
        return ExecutionHooks::weight(node, layer);
    }
    torch::Tensor activation(int point, const torch::Tensor &x) override
    {
        ++activationCalls[point];
        return x;
    }
};

}  // namespace

class TestGraphEngine : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void matchesTorchScript_data();
    void matchesTorchScript();
    void unitCounts_data();
    void unitCounts();
    void unitsChainToWholeModel_data();
    void unitsChainToWholeModel();
    void keepsBatchNormWhenAsked();
    void sharedInputIsOneActivationPoint();
    void weightHookChangesOnlyItsLayer();
    void stableNamesAndIntermediates();
    void unsupportedOpIsNamed_data();
    void unsupportedOpIsNamed();
    void truncatedFileIsAnError();
};

void TestGraphEngine::initTestCase()
{
    configureRuntime();
    QVERIFY2(QFileInfo::exists(fixture("resnet18_traced.pt")), "run the make_fixtures CTest fixture first");
}

void TestGraphEngine::matchesTorchScript_data()
{
    QTest::addColumn<QString>("file");
    for (const char *f : {"resnet20_fmnist.pt", "mobilenetv2s_fmnist.pt", "resnet18_traced.pt", "resnet50_traced.pt",
                          "mobilenet_v2_traced.pt", "mnasnet1_0_traced.pt", "regnet_x_400mf_traced.pt",
                          "shufflenet_v2_x1_0_traced.pt", "efficientnet_b0_traced.pt", "resnet18_scripted.pt",
                          "mobilenet_v2_scripted.pt"})
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestGraphEngine::matchesTorchScript()
{
    QFETCH(QString, file);
    auto g = importTorchScriptFile(fixture(file));
    QVERIFY2(g.ok(), qPrintable(g ? QString() : g.error().message));
    Executor ex(std::make_shared<const Graph>(std::move(g).value()));
    auto module = torch::jit::load(fixture(file).toStdString());
    module.eval();
    const torch::Tensor x = inputFor(file, 2);
    torch::NoGradGuard ng;
    const torch::Tensor ref = module.forward({x}).toTensor();
    const torch::Tensor out = ex.run(x);
    QCOMPARE(out.sizes().vec(), ref.sizes().vec());
    const double rel = relativeDiff(out, ref);
    qInfo("%s: relative max diff %.3g", qPrintable(file), rel);
    QVERIFY(rel <= test::kEngineRelTolerance);
}

void TestGraphEngine::unitCounts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("units");
    QTest::newRow("resnet18") << "resnet18_traced.pt" << 10;
    QTest::newRow("resnet18 scripted") << "resnet18_scripted.pt" << 10;
    QTest::newRow("resnet50") << "resnet50_traced.pt" << 18;
    QTest::newRow("mobilenet_v2") << "mobilenet_v2_traced.pt" << 20;  // features.0, 17 blocks, features.18, fc
    QTest::newRow("mobilenet_v2 scripted") << "mobilenet_v2_scripted.pt" << 20;
    QTest::newRow("resnet20") << "resnet20_fmnist.pt" << 11;
}

void TestGraphEngine::unitCounts()
{
    QFETCH(QString, file);
    QFETCH(int, units);
    auto g = importTorchScriptFile(fixture(file));
    QVERIFY(g.ok());
    const Partition p = partition(*g);
    QCOMPARE(p.ruleUsed, PartitionRule::ModulePaths);
    QCOMPARE(int(p.units.size()), units);
    // Every conv/linear is in exactly one unit.
    std::set<int> seen;
    for (const Unit &u : p.units)
        for (int l : u.layers)
            QVERIFY(seen.insert(l).second);
    QCOMPARE(seen.size(), g->layers().size());
    // The fallback rule (no module names) cuts ResNets the same way.
    if (file.startsWith("resnet"))
        QCOMPARE(int(partition(*g, PartitionRule::CutPoints).units.size()), units);
}

void TestGraphEngine::unitsChainToWholeModel_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("resnet20") << "resnet20_fmnist.pt";
    QTest::newRow("mobilenetv2s") << "mobilenetv2s_fmnist.pt";
    QTest::newRow("shufflenet") << "shufflenet_v2_x1_0_traced.pt";
}

void TestGraphEngine::unitsChainToWholeModel()
{
    QFETCH(QString, file);
    auto g = importTorchScriptFile(fixture(file));
    QVERIFY(g.ok());
    auto shared = std::make_shared<const Graph>(std::move(g).value());
    Executor ex(shared);
    const Partition p = partition(*shared);
    const torch::Tensor x = inputFor(file, 2);
    torch::NoGradGuard ng;
    const torch::Tensor whole = ex.run(x);
    for (const Unit &u : p.units) {
        const torch::Tensor in = ex.runPrefix(u, x);
        const torch::Tensor out = ex.runUnit(u, in);
        const torch::Tensor logits = ex.runSuffix(u, out);
        QVERIFY2(torch::equal(logits, whole), u.name.c_str());
    }
}

void TestGraphEngine::keepsBatchNormWhenAsked()
{
    ImportOptions opts;
    opts.foldBatchNorm = false;
    auto kept = importTorchScriptFile(fixture("resnet18_traced.pt"), opts);
    auto folded = importTorchScriptFile(fixture("resnet18_traced.pt"));
    QVERIFY(kept.ok() && folded.ok());
    auto count = [](const Graph &g) {
        return std::count_if(g.nodes.begin(), g.nodes.end(), [](const Node &n) { return n.op == OpKind::BatchNorm; });
    };
    QCOMPARE(count(*kept), 20);
    QCOMPARE(count(*folded), 0);
    Executor a(std::make_shared<const Graph>(std::move(kept).value()));
    Executor b(std::make_shared<const Graph>(std::move(folded).value()));
    const torch::Tensor x = inputFor("resnet18", 2);
    torch::NoGradGuard ng;
    QVERIFY(relativeDiff(a.run(x), b.run(x)) <= test::kEngineRelTolerance);
}

void TestGraphEngine::sharedInputIsOneActivationPoint()
{
    auto g = importTorchScriptFile(fixture("resnet18_traced.pt"));
    QVERIFY(g.ok());
    Executor ex(std::make_shared<const Graph>(std::move(g).value()));
    // 21 layers; layer2.0, layer3.0 and layer4.0 feed conv1 and downsample.0 from one tensor.
    QCOMPARE(int(ex.graph().layers().size()), 21);
    QCOMPARE(int(ex.activationPoints().size()), 18);
    QCOMPARE(ex.pointOfLayer("layer2.0.conv1"), ex.pointOfLayer("layer2.0.downsample.0"));
    QVERIFY(ex.pointOfLayer("layer2.0.conv1") >= 0);
    QVERIFY(ex.activationPoints()[ex.pointOfLayer("conv1")].isModelInput);
    CountingHooks hooks;
    torch::NoGradGuard ng;
    ex.run(inputFor("resnet18", 1), &hooks);
    QCOMPARE(hooks.weightCalls, 21);
    QCOMPARE(int(hooks.activationCalls.size()), 18);
    for (const auto &[point, calls] : hooks.activationCalls)
        QCOMPARE(calls, 1);
}

void TestGraphEngine::weightHookChangesOnlyItsLayer()
{
    auto g = importTorchScriptFile(fixture("resnet20_fmnist.pt"));
    QVERIFY(g.ok());
    auto shared = std::make_shared<const Graph>(std::move(g).value());
    Executor ex(shared);
    struct ZeroFc : ExecutionHooks {
        torch::Tensor weight(int node, const Node &layer) override
        {
            return layer.name == "fc" ? torch::zeros_like(layer.weight) : ExecutionHooks::weight(node, layer);
        }
    } hooks;
    const torch::Tensor x = inputFor("resnet20_fmnist", 3);
    torch::NoGradGuard ng;
    const torch::Tensor out = ex.run(x, &hooks);
    // With a zero weight the classifier returns its bias for every image.
    const Node &fc = shared->nodes[shared->findNode("fc")];
    QVERIFY(torch::allclose(out, fc.bias.expand_as(out)));
}

void TestGraphEngine::stableNamesAndIntermediates()
{
    auto g = importTorchScriptFile(fixture("resnet20_fmnist.pt"));
    QVERIFY(g.ok());
    QVERIFY(g->findNode("layer1.0.conv1") >= 0);
    QVERIFY(g->findNode("layer3.2.conv2") >= 0);
    QVERIFY(g->findNode("layer2.0.downsample.0") >= 0);
    std::set<std::string> names;
    for (const Node &n : g->nodes)
        QVERIFY2(names.insert(n.name).second, n.name.c_str());
    Executor ex(std::make_shared<const Graph>(std::move(g).value()));
    torch::NoGradGuard ng;
    auto outs = ex.intermediates(inputFor("resnet20_fmnist", 2), {"layer2.0.conv1", "fc"});
    QCOMPARE(outs.at("layer2.0.conv1").sizes().vec(), (std::vector<int64_t>{2, 32, 14, 14}));
    QCOMPARE(outs.at("fc").sizes().vec(), (std::vector<int64_t>{2, 10}));
}

void TestGraphEngine::unsupportedOpIsNamed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("module");
    QTest::newRow("elu") << "elu_cnn_traced.pt" << "aten::elu" << "module act";
    QTest::newRow("lstm") << "lstm_traced.pt" << "aten::" << "";
}

void TestGraphEngine::unsupportedOpIsNamed()
{
    QFETCH(QString, file);
    QFETCH(QString, op);
    QFETCH(QString, module);
    auto g = importTorchScriptFile(fixture(file));
    QVERIFY(!g.ok());
    QCOMPARE(g.error().code, ErrorCode::Unsupported);
    const QString m = g.error().message;
    QVERIFY2(m.contains(fixture(file)) && m.contains(op) && m.contains(module) && m.contains("Supported ops: "), qPrintable(m));
}

void TestGraphEngine::truncatedFileIsAnError()
{
    QFile src(fixture("resnet20_fmnist.pt"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    QTemporaryDir dir;
    const QString cut = dir.filePath("cut.pt");
    QFile dst(cut);
    QVERIFY(dst.open(QIODevice::WriteOnly));
    dst.write(src.read(src.size() / 2));
    dst.close();
    auto g = importTorchScriptFile(cut);
    QVERIFY(!g.ok());
    QCOMPARE(g.error().code, ErrorCode::BadFile);
    QVERIFY2(g.error().message.contains(cut), qPrintable(g.error().message));
}

QTEST_GUILESS_MAIN(TestGraphEngine)
#include "tst_graphengine.moc"
