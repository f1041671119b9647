// loadScriptArchive: the guarded TorchScript load (damaged debug_pkl records
// dropped, pickles checked before LibTorch reads them).
#include "common/paths.h"
#include "graph/scriptarchive.h"

#include <QtTest/QtTest>

#include <caffe2/serialize/inline_container.h>
#include <torch/script.h>

using namespace metaaug;
using namespace metaaug::graph;

namespace {

QString bundled(const char *file) { return modelsDir() + "/" + file; }

std::string recordOf(const QString &path, const std::string &name)
{
    caffe2::serialize::PyTorchStreamReader reader(QFile::encodeName(path).toStdString());
    for (const std::string &record : reader.getAllRecords()) {
        if (record == name) {
            auto [data, size] = reader.getRecord(record);
            return std::string(static_cast<const char *>(data.get()), size);
        }
    }
    return {};
}

}  // namespace

class TestScriptArchive : public QObject {
    Q_OBJECT
private slots:
    void sameModuleAsTorchLoad_data();
    void sameModuleAsTorchLoad();
    void realPicklesPass();
    void lengthPastEndIsRefused();
    void hugeMemoIndexIsRefused();
    void truncatedPickleIsRefused();
    void fuzzFindingsAreRefused_data();
    void fuzzFindingsAreRefused();
    void missingFile();
};

void TestScriptArchive::sameModuleAsTorchLoad_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("resnet20") << bundled("resnet20_fmnist.pt");
    QTest::newRow("mobilenetv2s") << bundled("mobilenetv2s_fmnist.pt");
}

// The copy without debug_pkl must be the same model: identical outputs.
void TestScriptArchive::sameModuleAsTorchLoad()
{
    QFETCH(QString, file);
    auto guarded = loadScriptArchive(file);
    QVERIFY2(guarded.ok(), qPrintable(guarded.ok() ? QString() : guarded.error().message));
    torch::jit::Module direct = torch::jit::load(QFile::encodeName(file).toStdString());
    direct.eval();
    torch::NoGradGuard ng;
    torch::manual_seed(7);
    auto x = torch::randn({4, 1, 28, 28});
    auto a = guarded->forward({x}).toTensor();
    auto b = direct.forward({x}).toTensor();
    QCOMPARE(a.sizes().vec(), b.sizes().vec());
    QVERIFY(torch::equal(a, b));
    QCOMPARE(guarded->named_parameters().size(), direct.named_parameters().size());
}

void TestScriptArchive::realPicklesPass()
{
    for (const char *name : {"data.pkl", "constants.pkl"}) {
        // Records are named without the archive's folder.
        const std::string bytes = recordOf(bundled("resnet20_fmnist.pt"), name);
        QVERIFY2(!bytes.empty(), name);
        QCOMPARE(checkPickle(bytes.data(), bytes.size()), QString());
    }
}

void TestScriptArchive::lengthPastEndIsRefused()
{
    // PROTO 2, BINUNICODE announcing 4 GiB - 1 with three bytes behind it.
    const char bytes[] = {'\x80', 2, 'X', '\xff', '\xff', '\xff', '\xff', 'a', 'b', 'c', '.'};
    const QString bad = checkPickle(bytes, sizeof bytes);
    QVERIFY2(bad.contains("length 4294967295 at byte 2"), qPrintable(bad));
    // The same string with its true length passes.
    const char good[] = {'\x80', 2, 'X', 3, 0, 0, 0, 'a', 'b', 'c', '.'};
    QCOMPARE(checkPickle(good, sizeof good), QString());
}

void TestScriptArchive::hugeMemoIndexIsRefused()
{
    // EMPTY_LIST, LONG_BINPUT 1768844917 ("unni", as the fuzzer made it).
    const char bytes[] = {'\x80', 2, ']', 'r', 'u', 'n', 'n', 'i', '.'};
    const QString bad = checkPickle(bytes, sizeof bytes);
    QVERIFY2(bad.contains("memo index 1768844917 at byte 3"), qPrintable(bad));
    const char good[] = {'\x80', 2, ']', 'r', 0, 0, 0, 0, '.'};
    QCOMPARE(checkPickle(good, sizeof good), QString());
}

void TestScriptArchive::truncatedPickleIsRefused()
{
    const char bytes[] = {'\x80', 2, 'J', 1, 2};
    const QString bad = checkPickle(bytes, sizeof bytes);
    QVERIFY2(bad.contains("opcode at byte 3 needs 4 bytes, only 2 remain"), qPrintable(bad));
}

void TestScriptArchive::fuzzFindingsAreRefused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    const QString dir = QFINDTESTDATA("fuzz/regressions/torchscript");
    QVERIFY(!dir.isEmpty());
    // Crashed the process with free(): invalid pointer before the guard; now
    // LibTorch's parser reports the damaged code ("expected ident but found
    // '%'", or another token when other models were loaded before).
    QTest::newRow("parser error with damaged debug_pkl")
        << dir + "/damaged_code_and_debug_pkl_bad_free_in_libtorch.pt" << "here:";
    // Made LibTorch allocate 28 GB for its memo table.
    QTest::newRow("memo index of 28 GB")
        << dir + "/memo_index_allocates_28gb_in_libtorch.pt" << "record data.pkl: memo index 1768844917";
}

void TestScriptArchive::fuzzFindingsAreRefused()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    auto module = loadScriptArchive(file);
    QVERIFY(!module.ok());
    QCOMPARE(module.error().code, ErrorCode::BadFile);
    QVERIFY2(module.error().message.contains(file), qPrintable(module.error().message));
    QVERIFY2(module.error().message.contains(expected), qPrintable(module.error().message));
}

void TestScriptArchive::missingFile()
{
    auto module = loadScriptArchive("/nonexistent/model.pt");
    QVERIFY(!module.ok());
    QCOMPARE(module.error().code, ErrorCode::NotFound);
    QVERIFY(module.error().message.contains("/nonexistent/model.pt"));
}

QTEST_GUILESS_MAIN(TestScriptArchive)
#include "tst_scriptarchive.moc"
