// SPDX-License-Identifier: GPL-3.0-or-later
// The sandboxed loader end to end: the helper gives the same graph as the
// in-process importer, and every way a parse can go wrong (a crafted file
// that crashes LibTorch, a zip bomb, a forbidden system call, a CPU hog, a
// hang, a malformed reply) becomes an error naming the file and the cause,
// while the calling process goes on.
#include "common/paths.h"
#include "graph/executor.h"
#include "model/scriptmodel.h"
#include "sandbox/modelloader.h"
#include "testutil.h"
#include "tolerances.h"

#include <QtCore/QElapsedTimer>
#include <fcntl.h>
#include <unistd.h>
#include <QtTest/QtTest>

using namespace metaaug;
using namespace metaaug::sandbox;

namespace {

QString bundled(const QString &file) { return modelsDir() + "/" + file; }
QString fixture(const QString &file) { return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + file; }

// Sets an environment variable for one scope.
struct ScopedEnv {
    ScopedEnv(const char *name, const QByteArray &value) : m_name(name) { qputenv(name, value); }
    ~ScopedEnv() { qunsetenv(m_name); }
    const char *m_name;
};

QString messageOf(const Result<graph::Graph> &r) { return r.ok() ? QStringLiteral("(loaded)") : r.error().message; }

}  // namespace

class TestModelLoader : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sameGraphAsInProcess_data();
    void sameGraphAsInProcess();
    void referenceMatchesTheInterpreter();
    void craftedFileIsContained();
    void zipBombHitsTheMemoryLimit();
    void craftedFuzzFindingsAreRefused();
    void campaignFindingsAreContained();
    void misbehaviourIsContained_data();
    void misbehaviourIsContained();
    void ordinaryRefusalsPassThrough_data();
    void ordinaryRefusalsPassThrough();
    void missingLoaderIsNamed();
    void noDescriptorReachesTheHelper();
    void syscallListIsPrinted();
    void cliExitsOneOnCraftedFile();
};

void TestModelLoader::initTestCase()
{
    QVERIFY2(QFileInfo(loaderProgram()).isExecutable(), qPrintable(loaderProgram()));
    QVERIFY2(QFileInfo::exists(fixture("crafted_crc_segfault.pt")), "run the make_fixtures CTest fixture first");
}

void TestModelLoader::sameGraphAsInProcess_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::newRow("resnet20 (TorchScript)") << bundled("resnet20_fmnist.pt") << QList<qint64>{1, 28, 28};
    QTest::newRow("mobilenetv2s (TorchScript)") << bundled("mobilenetv2s_fmnist.pt") << QList<qint64>{1, 28, 28};
    QTest::newRow("tiny modern (ONNX plugin)") << fixture("tiny_modern_op17.onnx") << QList<qint64>{3, 32, 32};
    QTest::newRow("resnet18 at 224 (TorchScript)") << fixture("resnet18_traced.pt") << QList<qint64>{3, 224, 224};
}

// Bit-identical weights and structure: the executors agree exactly.
void TestModelLoader::sameGraphAsInProcess()
{
    QFETCH(QString, file);
    QFETCH(QList<qint64>, shape);
    auto helper = importModelFile(file, {});
    QVERIFY2(helper.ok(), qPrintable(messageOf(helper)));
    auto local = importModelFile(file, {}, LoadIsolation::InProcess);
    QVERIFY2(local.ok(), qPrintable(messageOf(local)));
    QCOMPARE(helper->nodes.size(), local->nodes.size());
    QCOMPARE(helper->declaredInput, local->declaredInput);
    torch::manual_seed(5);
    const torch::Tensor x = torch::randn({2, shape[0], shape[1], shape[2]});
    torch::NoGradGuard ng;
    const torch::Tensor a = graph::Executor(std::make_shared<const graph::Graph>(*helper)).run(x);
    const torch::Tensor b = graph::Executor(std::make_shared<const graph::Graph>(*local)).run(x);
    QVERIFY(torch::equal(a, b));
}

// info --verify's reference: the interpreter in the helper (one thread, no
// oneDNN) agrees with the interpreter here within the engine's tolerance.
void TestModelLoader::referenceMatchesTheInterpreter()
{
    const QString file = bundled("resnet20_fmnist.pt");
    torch::manual_seed(1);
    const torch::Tensor x = torch::randn({8, 1, 28, 28});
    auto ref = referenceLogits(file, x);
    QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error().message));
    auto script = ScriptModel::load(file);
    QVERIFY(script.ok());
    auto here = script->forward(x);
    QVERIFY(here.ok());
    QCOMPARE(ref->sizes(), here->sizes());
    const double scale = std::max(1.0, here->abs().max().item<double>());
    QVERIFY((*ref - *here).abs().max().item<double>() <= test::kEngineRelTolerance * scale);
}

// The fuzz finding that segfaults LibTorch's TorchScript compiler, rewritten
// with matching CRCs. Whether it segfaults depends on the address layout
// (about half the time here; never with ASLR off): otherwise LibTorch
// refuses the damaged source. Either way it is a message naming the file,
// and this process goes on.
void TestModelLoader::craftedFileIsContained()
{
    const QString file = fixture("crafted_crc_segfault.pt");
    int crashes = 0;
    for (int attempt = 0; attempt < 4; ++attempt) {
        auto r = importModelFile(file, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::BadFile);
        const QString m = r.error().message;
        const bool crashed = m.contains("could not be parsed safely: the parser crashed (signal 11, SIGSEGV)");
        QVERIFY2(m.contains(file) && (crashed || m.contains("is not a loadable TorchScript file")), qPrintable(m));
        crashes += crashed ? 1 : 0;
    }
    qInfo("the parser crashed in %d of 4 loads", crashes);
    auto good = importModelFile(bundled("resnet20_fmnist.pt"), {});
    QVERIFY(good.ok());
}

void TestModelLoader::zipBombHitsTheMemoryLimit()
{
    const QString file = fixture("zip_bomb.pt");
    QVERIFY(QFileInfo(file).size() < 8 << 20);
    auto r = importModelFile(file, {});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(file) && r.error().message.contains("could not be parsed safely: the parser exceeded its memory limit of"),
             qPrintable(r.error().message));
}

// Every TorchScript fuzz finding rewritten with matching CRCs (make_fixtures'
// write_hostile_files), through the helper: each loads (the guard dropped the
// damaged debug_pkl) or is an error naming the file, whether the guard,
// LibTorch or the sandbox stops it; this process goes on. (Whether the
// compiler finding crashes varies from load to load: craftedFileIsContained.)
void TestModelLoader::craftedFuzzFindingsAreRefused()
{
    const QDir dir(fixture("crafted"));
    const QStringList files = dir.entryList({"*.pt"}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 4);
    for (const QString &f : files) {
        const QString file = dir.filePath(f);
        auto r = importModelFile(file, {});
        qInfo("%s: %s", qPrintable(f), qPrintable(messageOf(r).left(300)));
        if (!r.ok())
            QVERIFY2(r.error().message.contains(file), qPrintable(r.error().message));
    }
}

// What the 30-minute METAAUG_FUZZ_MODE=crc campaign found (tests/fuzz/
// README.md): inputs with matching CRCs that crash LibTorch in-process at
// four places, kept in regressions/torchscript_crafted/ (which the in-process
// fuzz replay leaves out). Through the helper each is an error naming the
// file with a reason, and this process goes on. Most crash the helper (a few
// only under ASan or with some address layouts); one of each kind also
// through the CLI, which exits 1.
void TestModelLoader::campaignFindingsAreContained()
{
    const QDir dir(qEnvironmentVariable("METAAUG_TESTS_DIR") + "/fuzz/regressions/torchscript_crafted");
    const QStringList files = dir.entryList({"*.pt"}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 4, qPrintable(dir.path()));
    int crashes = 0;
    QSet<QString> kindsThroughCli;
    for (const QString &f : files) {
        const QString file = dir.filePath(f);
        auto r = importModelFile(file, {});
        QVERIFY2(!r.ok(), qPrintable(f));
        const QString m = r.error().message;
        QVERIFY2(m.contains(file) && !m.trimmed().endsWith(':'), qPrintable(m));
        crashes += m.contains("could not be parsed safely: the parser crashed") ? 1 : 0;
        const QString kind = f.section('_', 0, -2);  // the name without its hash
        if (kindsThroughCli.contains(kind))
            continue;
        kindsThroughCli.insert(kind);
        const auto p = test::runCli({"info", "--model", file, "--input-shape", "3,28,28"});
        QCOMPARE(p.exitCode, 1);
        QVERIFY2(p.err.contains(file), qPrintable(p.err));
    }
    qInfo("%d of %lld findings crashed the helper; %lld kinds through the CLI", crashes, qlonglong(files.size()),
          qlonglong(kindsThroughCli.size()));
    QVERIFY(crashes >= 1);
    QVERIFY(kindsThroughCli.size() >= 4);
}

void TestModelLoader::misbehaviourIsContained_data()
{
    QTest::addColumn<QByteArray>("hook");
    QTest::addColumn<QString>("expected");
    QTest::newRow("crash") << QByteArray("crash") << "the parser crashed (signal 11, SIGSEGV)";
    QTest::newRow("CPU hog") << QByteArray("spin") << "the parser used over 2 s of CPU time (signal 24, SIGXCPU)";
    QTest::newRow("network") << QByteArray("syscall") << "the parser made a system call the sandbox does not allow (forbidden system call 41)";
    QTest::newRow("hang") << QByteArray("hang") << "the parser took over 14 s";
    QTest::newRow("malformed reply") << QByteArray("garbage") << "the loader's malformed reply: output id 7 is not one of the 3 values";
}

void TestModelLoader::misbehaviourIsContained()
{
    QFETCH(QByteArray, hook);
    QFETCH(QString, expected);
    ScopedEnv test("METAAUG_LOADER_TEST", hook);
    ScopedEnv seconds("METAAUG_LOADER_SECONDS", "2");
    QElapsedTimer clock;
    clock.start();
    auto r = importModelFile(bundled("resnet20_fmnist.pt"), {});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("could not be parsed safely: " + expected), qPrintable(r.error().message));
    QVERIFY(clock.elapsed() < 60000);
}

void TestModelLoader::ordinaryRefusalsPassThrough_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not a model") << QString("text") << "is not a loadable TorchScript file";
    QTest::newRow("unsupported op") << fixture("elu_cnn_traced.pt") << "aten::elu";
}

// An importer's own refusal reads as it does in-process: not a sandbox event.
void TestModelLoader::ordinaryRefusalsPassThrough()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    if (file == "text") {
        file = dir.filePath("notes.pt");
        QVERIFY(test::writeFile(file, "these are my notes, not a model\n"));
    }
    auto r = importModelFile(file, {});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(expected) && !r.error().message.contains("safely"), qPrintable(r.error().message));
    auto local = importModelFile(file, {}, LoadIsolation::InProcess);
    QVERIFY(!local.ok());
    QCOMPARE(r.error().message, local.error().message);
}

void TestModelLoader::missingLoaderIsNamed()
{
    ScopedEnv loader("METAAUG_LOADER", "/nonexistent/metaaug-loader");
    auto r = importModelFile(bundled("resnet20_fmnist.pt"), {});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY(r.error().message.contains("the model loader /nonexistent/metaaug-loader is missing"));
}

// A descriptor this process holds without close-on-exec (as a library
// might) is closed before the parser runs: it cannot write to it.
void TestModelLoader::noDescriptorReachesTheHelper()
{
    QTemporaryDir dir;
    const int fd = ::open(QFile::encodeName(dir.filePath("mine.bin")).constData(), O_CREAT | O_WRONLY, 0600);
    QVERIFY(fd >= 3);
    ScopedEnv test("METAAUG_LOADER_TEST", "fds");
    auto r = importModelFile(bundled("resnet20_fmnist.pt"), {});
    ::close(fd);
    QVERIFY2(r.ok(), qPrintable(messageOf(r)));
}

void TestModelLoader::syscallListIsPrinted()
{
    const auto p = test::runProcess(loaderProgram(), {"--list-syscalls"});
    QCOMPARE(p.exitCode, 0);
    QVERIFY2(p.out.contains("allow write: ") && p.out.contains("refuse clone3 with ENOSYS") &&
                 p.out.contains("allow mmap, mprotect without PROT_EXEC"),
             qPrintable(p.out));
}

// The acceptance case: `metaaug info` on the crafted file exits 1
// with a message, where it used to die of signal 11 (about half the time).
void TestModelLoader::cliExitsOneOnCraftedFile()
{
    const QString file = fixture("crafted_crc_segfault.pt");
    const auto p = test::runCli({"info", "--model", file, "--card", fixture("crafted_crc_segfault.json")});
    QCOMPARE(p.exitCode, 1);
    QVERIFY2(p.err.contains(file) && (p.err.contains("could not be parsed safely: the parser crashed (signal 11")
                                      || p.err.contains("is not a loadable TorchScript file")),
             qPrintable(p.err));
}

QTEST_GUILESS_MAIN(TestModelLoader)
#include "tst_modelloader.moc"
