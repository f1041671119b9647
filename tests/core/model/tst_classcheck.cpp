// SPDX-License-Identifier: GPL-3.0-or-later
// The data's labels against the model's outputs: each kind of mismatch a
// user met (2 class folders on a 1000-output model read 0.00 % without a
// word) gives a sentence naming the source; labels that fit give none.
#include "model/classcheck.h"

#include <QtTest/QtTest>

using namespace metaaug;

class TestClassCheck : public QObject {
    Q_OBJECT
private slots:
    void fittingLabelsSayNothing();
    void moreClassesThanOutputs();
    void namesDifferFromTheCard();
    void fewClassesOnAWideModelWithoutNames();
    void unlabelledDataIsNotChecked();
};

void TestClassCheck::fittingLabelsSayNothing()
{
    const QStringList names{"cat", "dog", "fox"};
    QVERIFY(classMismatchWarnings({"/data/pets", names, true, 3, names}).isEmpty());
    QVERIFY(classMismatchWarnings({"/data/pets", names, true, 3, {}}).isEmpty());
    // A subset in the card's order: label i is still output i.
    QVERIFY(classMismatchWarnings({"/data/pets", {"cat", "dog"}, true, 3, names}).isEmpty());
}

void TestClassCheck::moreClassesThanOutputs()
{
    const QStringList w = classMismatchWarnings({"/data/eleven", QStringList(11, "c"), true, 10, {}});
    QCOMPARE(w.size(), 1);
    QVERIFY2(w[0].contains("/data/eleven has 11 classes but the model has 10 outputs"), qPrintable(w[0]));
}

void TestClassCheck::namesDifferFromTheCard()
{
    const QStringList w = classMismatchWarnings({"/data/pets", {"dog", "cat"}, true, 3, {"cat", "dog", "fox"}});
    QCOMPARE(w.size(), 1);
    QVERIFY2(w[0].contains("do not match the model card's") && w[0].contains("2 of 2 differ") && w[0].contains("'dog'"), qPrintable(w[0]));
}

void TestClassCheck::fewClassesOnAWideModelWithoutNames()
{
    // The user's case: 2 class folders, an ImageNet model, no class names.
    const QStringList w = classMismatchWarnings({"/data/two", {"a", "b"}, true, 1000, {}});
    QCOMPARE(w.size(), 1);
    QVERIFY2(w[0].contains("outputs 0–1 of a model with 1000 outputs and no class names"), qPrintable(w[0]));
}

void TestClassCheck::unlabelledDataIsNotChecked()
{
    QVERIFY(classMismatchWarnings({"/data/flat", {}, false, 1000, {}}).isEmpty());
}

QTEST_GUILESS_MAIN(TestClassCheck)
#include "tst_classcheck.moc"
