// SPDX-License-Identifier: GPL-3.0-or-later
#include "workbenchstate.h"

#include "async.h"

#include "common/paths.h"
#include "model/datasummary.h"
#include "model/modelcard.h"
#include "model/modelsummary.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSettings>

namespace metaaug::ui {

namespace {
constexpr int kMaxRecent = 8;
constexpr int kThumbnails = 12;  // sample images shown for the calibration data
const QString kFashionTrain = QStringLiteral("fashion-mnist:train");
const QString kFashionTest = QStringLiteral("fashion-mnist:test");
}  // namespace

WorkbenchState::WorkbenchState(bool useSettings, QObject *parent) : QObject(parent), m_useSettings(useSettings) {}

QString WorkbenchState::notReadyReason() const
{
    if (m_pendingLoads > 0)
        return tr("The model and data are still loading.");
    if (!m_modelReady)
        return tr("Open a model the engine supports first (File ▸ Open Model…).");
    if (!m_calibReady)
        return tr("Open usable calibration data first (File ▸ Open Calibration Data…).");
    return {};
}

void WorkbenchState::openModel(const QString &path, const QString &cardPath)
{
    const QString card = cardPath == cardPathFor(path) ? QString() : cardPath;
    if (card.isEmpty() && QFileInfo(path).isFile() && !QFileInfo::exists(cardPathFor(path))) {
        Q_EMIT cardNeeded(path);
        return;
    }
    const int generation = ++m_modelGeneration;
    ++m_pendingLoads;
    Q_EMIT changed();
    runAsync<Result<ModelSummary>>(this, [path, card] { return summarizeModel(path, card); },
                                   [this, path, card, generation](const Result<ModelSummary> &r) {
        --m_pendingLoads;
        if (generation != m_modelGeneration) {  // a newer choice replaced it
            Q_EMIT changed();
            return;
        }
        if (r) {  // else the previous model stays open
            m_modelPath = path;
            m_cardPath = card;
            m_modelReady = true;
            addRecent(QStringLiteral("models"), path);
        }
        Q_EMIT modelLoaded(path, r);
        Q_EMIT changed();
        if (r && !m_calibSource.isEmpty())
            openCalibration(m_calibSource);
    });
}

void WorkbenchState::openCalibration(const QString &source)
{
    m_calibSource = source;
    m_calibReady = false;
    ++m_pendingLoads;
    Q_EMIT changed();
    const QString model = m_modelReady ? m_modelPath : QString(), card = m_modelReady ? m_cardPath : QString();
    runAsync<Result<DataSummary>>(this, [source, model, card] { return summarizeData(source, model, kThumbnails, card); },
                                  [this, source](const Result<DataSummary> &r) {
                                      --m_pendingLoads;
                                      if (source != m_calibSource) {
                                          Q_EMIT changed();
                                          return;
                                      }
                                      m_calibReady = bool(r);
                                      if (r && source != kFashionTrain)
                                          addRecent(QStringLiteral("data"), source);
                                      Q_EMIT calibrationLoaded(source, r);
                                      Q_EMIT changed();
                                  });
}

void WorkbenchState::openEvaluation(const QString &source)
{
    m_evalSource = source;
    ++m_pendingLoads;
    Q_EMIT changed();
    const QString model = m_modelReady ? m_modelPath : QString(), card = m_modelReady ? m_cardPath : QString();
    runAsync<Result<DataSummary>>(this, [source, model, card] { return summarizeData(source, model, 0, card); },
                                  [this, source](const Result<DataSummary> &r) {
                                      --m_pendingLoads;
                                      if (source == m_evalSource)
                                          Q_EMIT evaluationLoaded(source, r);
                                      Q_EMIT changed();
                                  });
}

void WorkbenchState::openInitial(const WorkbenchOptions &o)
{
    QSettings s;
    auto pick = [&](const QString &given, const char *key, const QString &fallback) {
        if (!given.isEmpty())
            return given;
        const QString last = m_useSettings ? s.value(QLatin1String(key)).toString() : QString();
        return last.isEmpty() ? fallback : last;
    };
    m_calibSource = pick(o.calibSource, "last/calib", kFashionTrain);
    m_evalSource = pick(o.evalSource, "last/eval", kFashionTest);
    openModel(pick(o.modelPath, "last/model", defaultModelPath()));
    openEvaluation(m_evalSource);
}

void WorkbenchState::save(QSettings &s) const
{
    s.setValue(QStringLiteral("last/model"), m_modelPath);
    s.setValue(QStringLiteral("last/calib"), m_calibSource);
    s.setValue(QStringLiteral("last/eval"), m_evalSource);
}

QStringList WorkbenchState::recent(const QString &kind) const
{
    return QSettings().value(QStringLiteral("recent/") + kind).toStringList();
}

void WorkbenchState::addRecent(const QString &kind, const QString &value)
{
    if (!m_useSettings)
        return;
    QSettings s;
    QStringList list = s.value(QStringLiteral("recent/") + kind).toStringList();
    list.removeAll(value);
    list.prepend(value);
    while (list.size() > kMaxRecent)
        list.removeLast();
    s.setValue(QStringLiteral("recent/") + kind, list);
    Q_EMIT recentChanged();
}

}  // namespace metaaug::ui
