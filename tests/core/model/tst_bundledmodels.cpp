// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/paths.h"
#include "common/runtime.h"
#include "data/fashionmnist.h"
#include "eval/accuracy.h"
#include "model/scriptmodel.h"

#include "tolerances.h"

#include <QtTest/QtTest>

using namespace metaaug;

class TestBundledModels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void reachesCardTop1_data();
    void reachesCardTop1();
};

void TestBundledModels::initTestCase()
{
    configureRuntime();
}

void TestBundledModels::reachesCardTop1_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("minimumTop1");  // the foundation issue's floor
    QTest::newRow("resnet20") << "resnet20_fmnist.pt" << 91.0;
    QTest::newRow("mobilenetv2s") << "mobilenetv2s_fmnist.pt" << 90.0;
}

void TestBundledModels::reachesCardTop1()
{
    QFETCH(QString, file);
    QFETCH(double, minimumTop1);
    auto model = ScriptModel::load(modelsDir() + "/" + file);
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().message));
    QVERIFY(model->card().fpTestTop1 >= minimumTop1);
    QCOMPARE(model->sha256().size(), 64);
    auto test = loadFashionMnist("test", model->card().preprocess);
    QVERIFY(test.ok());
    auto acc = evaluateTop1([&](const torch::Tensor &x) { return model->forward(x); }, *test);
    QVERIFY2(acc.ok(), qPrintable(acc ? QString() : acc.error().message));
    QCOMPARE(acc->n, 10000);
    qInfo("%s: measured %.2f %%, card %.2f %%", qPrintable(file), acc->top1, model->card().fpTestTop1);
    QVERIFY(std::abs(acc->top1 - model->card().fpTestTop1) <= test::kCardTop1TolerancePt);
}

QTEST_GUILESS_MAIN(TestBundledModels)
#include "tst_bundledmodels.moc"
