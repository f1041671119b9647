// SPDX-License-Identifier: GPL-3.0-or-later
// A stored run reproduces itself: its spec holds the card it used as values
// (also overrides given as flags, also a card beside the model), so
// `quantize --rerun ID` gives the same quantized weights even after the
// card file is gone.
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include "testutil.h"

using metaaug::test::runCli;

namespace {

QString fixture(const QString &name) { return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + name; }

QJsonObject jsonOf(const metaaug::test::ProcessResult &r)
{
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

// Short and cheap: RTN needs no reconstruction.
const QStringList kQuick{"--method", "rtn", "--calib-size", "32", "--eval-limit", "64", "--threads", "1", "--quiet", "--json"};

}  // namespace

class TestRerun : public QObject {
    Q_OBJECT
private slots:
    void cardLessOnnxWithFlags();
    void bundledModelWithItsCard();

private:
    // The stored spec of run `id` (runs show --json).
    QJsonObject storedSpec(const QString &db, qint64 id);
};

QJsonObject TestRerun::storedSpec(const QString &db, qint64 id)
{
    const auto r = runCli({"runs", "show", QString::number(id), "--db", db, "--json"});
    if (r.exitCode != 0)
        qWarning("runs show: %s", qPrintable(r.err));
    return jsonOf(r).value("spec").toObject();
}

void TestRerun::cardLessOnnxWithFlags()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx"), db = dir.filePath("runs.sqlite");
    QVERIFY(QFile::copy(fixture("tiny_modern_op17.onnx"), model));
    QVERIFY(!QFileInfo::exists(dir.filePath("tiny.json")));
    const auto first = runCli(QStringList{"quantize", "--model", model, "--input-shape", "3,32,32", "--mean", "0.5,0.4,0.3",
                                          "--std", "0.25,0.2,0.3", "--db", db} + kQuick, 300000);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    const qint64 id = jsonOf(first).value("run_id").toInteger();
    QVERIFY(id > 0);
    // The spec holds the preprocessing the flags gave, as values.
    const QJsonObject card = storedSpec(db, id).value("card").toObject();
    QCOMPARE(card.value("input_shape").toArray(), (QJsonArray{3, 32, 32}));
    QCOMPARE(card.value("mean").toArray(), (QJsonArray{0.5, 0.4, 0.3}));
    QCOMPARE(card.value("std").toArray(), (QJsonArray{0.25, 0.2, 0.3}));
    // spec --check accepts what a run stored.
    QFile specFile(dir.filePath("spec.json"));
    QVERIFY(specFile.open(QIODevice::WriteOnly));
    specFile.write(QJsonDocument(storedSpec(db, id)).toJson());
    specFile.close();
    const auto check = runCli({"spec", "--check", specFile.fileName()});
    QVERIFY2(check.exitCode == 0, qPrintable(check.err + check.out));

    const auto again = runCli(QStringList{"quantize", "--rerun", QString::number(id), "--db", db, "--quiet", "--json"}, 300000);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    const QJsonObject j = jsonOf(again);
    QCOMPARE(j.value("qweights_sha256").toString(), jsonOf(first).value("qweights_sha256").toString());
    QCOMPARE(j.value("rerun").toObject().value("identical").toBool(), true);
    QCOMPARE(j.value("rerun").toObject().value("of").toInteger(), id);
}

void TestRerun::bundledModelWithItsCard()
{
    // The bundled model's card lies beside it; the copy here is then removed
    // so that only the stored values can give the preprocessing.
    QTemporaryDir dir;
    const QString models = qEnvironmentVariable("METAAUG_MODELS_DIR");
    const QString model = dir.filePath("resnet20_fmnist.pt"), card = dir.filePath("resnet20_fmnist.json"), db = dir.filePath("runs.sqlite");
    QVERIFY(QFile::copy(models + "/resnet20_fmnist.pt", model));
    QVERIFY(QFile::copy(models + "/resnet20_fmnist.json", card));
    const auto first = runCli(QStringList{"quantize", "--model", model, "--db", db} + kQuick, 300000);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    const qint64 id = jsonOf(first).value("run_id").toInteger();
    const QJsonObject stored = storedSpec(db, id).value("card").toObject();
    QCOMPARE(stored.value("input_shape").toArray(), (QJsonArray{1, 28, 28}));
    QCOMPARE(stored.value("source").toString(), card);
    QVERIFY(stored.value("class_names").toArray().size() == 10);
    QVERIFY(QFile::remove(card));
    const auto again = runCli(QStringList{"quantize", "--rerun", QString::number(id), "--db", db, "--quiet", "--json"}, 300000);
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QCOMPARE(jsonOf(again).value("qweights_sha256").toString(), jsonOf(first).value("qweights_sha256").toString());
    QVERIFY(jsonOf(again).value("rerun").toObject().value("identical").toBool());
}

QTEST_GUILESS_MAIN(TestRerun)
#include "tst_rerun.moc"
