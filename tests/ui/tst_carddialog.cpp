// SPDX-License-Identifier: GPL-3.0-or-later
// A model without a card, opened in the workbench: the card dialog asks for
// one (presets from core's table, started from the ONNX file's declared
// input shape, a preview of a calibration image as the model sees it),
// writes it beside the model when asked, and the model then opens with it.
// Cancelling leaves the previous model open.
#include "carddialog.h"
#include "mainwindow.h"
#include "workbenchwindow.h"

#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSpinBox>

using namespace metaaug;
using namespace metaaug::ui;

namespace {
constexpr int kLoadTimeoutMs = 120000;
QString fixture(const QString &name) { return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + name; }

CardDialog *openDialog(MainWindow &w)
{
    CardDialog *d = nullptr;
    QTest::qWaitFor([&] {
        const auto found = w.findChildren<CardDialog *>();
        d = found.isEmpty() ? nullptr : found.last();
        return d && d->isVisible();
    }, kLoadTimeoutMs);
    return d;
}
}  // namespace

class TestCardDialog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void presetWrittenBesideTheModel();
    void onnxShapeStartsTheDialog();
    void cancelKeepsThePreviousModel();
    void brokenFileCheckedBeforeTheCard();

private:
    QTemporaryDir m_dir;
};

void TestCardDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("metaaug-workbench-test");
    QCoreApplication::setApplicationName("tst_carddialog");
    QVERIFY2(QFileInfo::exists(fixture("rgb_cnn.pt")), "run the make_fixtures CTest fixture first");
}

void TestCardDialog::presetWrittenBesideTheModel()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("mine.pt");
    QVERIFY(QFile::copy(fixture("rgb_cnn.pt"), model));
    auto w = test::openWorkbench(m_dir.filePath("runs.sqlite"), kLoadTimeoutMs);
    QVERIFY(w && w->modelReady());
    w->openModel(model);
    CardDialog *d = openDialog(*w);
    QVERIFY(d);
    auto *preset = d->findChild<QComboBox *>("cardPreset");
    preset->setCurrentIndex(preset->findData(QStringLiteral("imagenet")));
    QCOMPARE(d->cardJson().value("input_shape").toArray(), (QJsonArray{3, 224, 224}));
    // The preview: the first calibration image prepared as the card says (224x224).
    auto *preview = d->findChild<QLabel *>("cardPreview");
    QTRY_VERIFY_WITH_TIMEOUT(!preview->pixmap().isNull(), kLoadTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(preview->toolTip().contains("224x224"), kLoadTimeoutMs);
    QSignalSpy loaded(w.get(), &MainWindow::modelLoaded);
    d->accept();
    QVERIFY(QFileInfo::exists(dir.filePath("mine.json")));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QVERIFY(loaded.last().at(0).toBool());
    QCOMPARE(w->state()->modelPath(), model);
    QVERIFY(w->state()->cardPath().isEmpty());  // beside the model: found there by every run
}

void TestCardDialog::onnxShapeStartsTheDialog()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("tiny.onnx");
    QVERIFY(QFile::copy(fixture("tiny_modern_op17.onnx"), model));
    auto w = test::openWorkbench(m_dir.filePath("runs.sqlite"), kLoadTimeoutMs);
    QVERIFY(w);
    w->openModel(model);
    CardDialog *d = openDialog(*w);
    QVERIFY(d);
    // 3x32x32, which no preset has: a custom card with the declared shape.
    QCOMPARE(d->cardJson().value("input_shape").toArray(), (QJsonArray{3, 32, 32}));
    QCOMPARE(d->findChild<QComboBox *>("cardPreset")->currentData().toString(), QString());
    d->reject();
}

void TestCardDialog::cancelKeepsThePreviousModel()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("nocard.pt");
    QVERIFY(QFile::copy(fixture("rgb_cnn.pt"), model));
    auto w = test::openWorkbench(m_dir.filePath("runs.sqlite"), kLoadTimeoutMs);
    QVERIFY(w && w->modelReady());
    const QString previous = w->state()->modelPath();
    w->openModel(model);
    CardDialog *d = openDialog(*w);
    QVERIFY(d);
    d->reject();
    QVERIFY(w->modelReady());
    QCOMPARE(w->state()->modelPath(), previous);
    QVERIFY(w->action("startRun")->isEnabled() || w->isLoading());
    QVERIFY(!QFileInfo::exists(dir.filePath("nocard.json")));
}

// A text file named .onnx is read (sandboxed) before any card is asked for:
// an error naming it, no dialog, no stray card file beside it.
void TestCardDialog::brokenFileCheckedBeforeTheCard()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("broken_text.onnx");
    QFile f(model);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is a text file, not an ONNX model\n");
    f.close();
    auto w = test::openWorkbench(m_dir.filePath("runs.sqlite"), kLoadTimeoutMs);
    QVERIFY(w && w->modelReady());
    const QString previous = w->state()->modelPath();
    QSignalSpy errors(w.get(), &MainWindow::errorShown);
    w->openModel(model);
    QVERIFY(errors.wait(kLoadTimeoutMs));
    QVERIFY2(errors.last().at(0).toString().contains("broken_text.onnx"), qPrintable(errors.last().at(0).toString()));
    QVERIFY(w->findChildren<CardDialog *>().isEmpty());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"broken_text.onnx"});
    QCOMPARE(w->state()->modelPath(), previous);
}

QTEST_MAIN(TestCardDialog)
#include "tst_carddialog.moc"
