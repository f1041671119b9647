// SPDX-License-Identifier: GPL-3.0-or-later
// The sensitivity analysis as a recorded run (jobs/sensitivityjob), on the
// bundled ResNet-20: a run of kind "sensitivity" holding every record, the
// stored form reading back to the same study, the front's figures equal to
// the engine's for each point's bits, and bad input refused with its cause.
#include "common/paths.h"
#include "jobs/sensitivityjob.h"
#include "run/runspec.h"
#include "store/runstore.h"
#include "tolerances.h"

#include <QtCore/QTemporaryDir>
#include <opencv2/imgcodecs.hpp>
#include <QtTest/QtTest>

using namespace metaaug;

class TestSensitivityJob : public QObject {
    Q_OBJECT
private slots:
    void recordedAndReadBack();
    void tooFewImagesNamesTheSource();
    void automaticImageCount();
};

namespace {
SensitivitySettings small()
{
    SensitivitySettings s;
    s.images = 48;
    s.fitImages = 16;
    s.activationBits = {4, 8};
    return s;
}
}  // namespace

void TestSensitivityJob::recordedAndReadBack()
{
    QTemporaryDir dir;
    auto db = store::RunStore::open(dir.filePath("runs.sqlite"));
    QVERIFY(db);
    RunSpec spec;
    spec.modelPath = defaultModelPath();
    spec.seed = 3;
    int calls = 0;
    auto study = runSensitivityJob(spec, small(), db->get(), [&calls](int, int) { return ++calls > 0; });
    QVERIFY2(study, study ? "" : qPrintable(study.error().message));
    QVERIFY(calls > 0);
    QVERIFY(study->runId > 0);
    QVERIFY(!study->front.empty());
    QCOMPARE(study->images, 48);

    auto row = (*db)->run(study->runId);
    QVERIFY(row);
    QCOMPARE(row->kind, QString(store::kSensitivityRun));
    QCOMPARE(row->status, RunStatus::Succeeded);
    QCOMPARE(row->spec.value("analysis").toObject().value("images").toInt(), 48);
    QCOMPARE(row->identity.value("model_sha256").toString(), study->modelSha256);
    QVERIFY(!row->typedResult());

    auto back = sensitivityStudyFromJson(row->result);
    QVERIFY2(back, back ? "" : qPrintable(back.error().message));
    QCOMPARE(back->records.size(), study->records.size());
    QCOMPARE(back->images, 48);
    for (size_t i = 0; i < study->records.size(); ++i) {
        QCOMPARE(back->records[i].target, study->records[i].target);
        QCOMPARE(back->records[i].kl, study->records[i].kl);
        QCOMPARE(back->records[i].sqnrDb, study->records[i].sqnrDb);
    }
    QCOMPARE(back->layers.size(), study->layers.size());
    QCOMPARE(back->pinned, study->pinned);
    QCOMPARE(back->front.size(), study->front.size());
    for (size_t i = 0; i < study->front.size(); ++i) {
        QCOMPARE(back->front[i].bits.size(), study->front[i].bits.size());
        QCOMPARE(back->front[i].figures.weightBytes, study->front[i].figures.weightBytes);
        // The figures the editor would compute from the stored layers equal the engine's.
        std::vector<analysis::PlannedLayer> edited = back->layers;
        for (auto &l : edited)
            l.weightBits = back->front[i].bits.at(l.cost.name).weight;
        const analysis::BudgetFigures f = analysis::budgetFigures(edited);
        QCOMPARE(f.weightBytes, study->front[i].figures.weightBytes);
        QVERIFY(std::abs(f.weightBitsAvg - study->front[i].figures.weightBitsAvg) < test::kBudgetFigureRelTolerance);
    }
    // The pinned first and last layers keep their 8 bits all along the front.
    for (const QString &name : study->pinned)
        for (const FrontPoint &p : study->front)
            QCOMPARE(p.bits.at(name).weight, 8);
}

void TestSensitivityJob::tooFewImagesNamesTheSource()
{
    RunSpec spec;
    spec.modelPath = defaultModelPath();
    SensitivitySettings s = small();
    s.images = 200000;
    auto study = runSensitivityJob(spec, s, nullptr);
    QVERIFY(!study);
    QVERIFY2(study.error().message.contains("fashion-mnist:train") && study.error().message.contains("200016"),
             qPrintable(study.error().message));
}

// images = 0: as many as the compute budget allows. The bounds, and what
// the bundled ResNet-20 resolves to, read from the refusal of a folder too
// small for it (so that no analysis needs to run).
void TestSensitivityJob::automaticImageCount()
{
    QCOMPARE(autoSensitivityImages(41e6, 152), kSensitivityImagesMax);   // a 28x28 ResNet-20
    QCOMPARE(autoSensitivityImages(4.1e9, 376), kSensitivityImagesMin);  // ResNet-50 at 224
    QCOMPARE(autoSensitivityImages(5e8, 100), int64_t(2e12 / (5e8 * 51)));
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath("a")));
    for (int i = 0; i < 3; ++i)
        QVERIFY(cv::imwrite(dir.filePath(QString("a/%1.png").arg(i)).toStdString(), cv::Mat(28, 28, CV_8UC1, cv::Scalar(40 * i))));
    RunSpec spec;
    spec.modelPath = defaultModelPath();
    spec.calibSource = dir.path();
    SensitivitySettings s;
    QCOMPARE(s.images, 0);
    auto study = runSensitivityJob(spec, s, nullptr);
    QVERIFY(!study);
    QVERIFY2(study.error().message.contains(QString("(%1 to measure on, 64").arg(kSensitivityImagesMax)), qPrintable(study.error().message));
}

QTEST_GUILESS_MAIN(TestSensitivityJob)
#include "tst_sensitivityjob.moc"
