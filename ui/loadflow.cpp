// SPDX-License-Identifier: GPL-3.0-or-later
#include "loadflow.h"

#include "async.h"
#include "carddialog.h"
#include "datapanel.h"
#include "modelpanel.h"
#include "runsetuppanel.h"
#include "runview.h"
#include "workbenchstate.h"

#include "model/datasummary.h"
#include "quant/layerbitsmap.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSet>

namespace metaaug::ui {

LoadFlow::LoadFlow(WorkbenchState *state, const Views &views, QObject *parent) : QObject(parent), m_state(state), m_views(views)
{
    connect(m_state, &WorkbenchState::modelLoaded, this, [this](const QString &, const Result<ModelSummary> &r) { onModelLoaded(r); });
    connect(m_state, &WorkbenchState::cardNeeded, this, &LoadFlow::askForCard);
    connect(m_state, &WorkbenchState::calibrationLoaded, this, [this](const QString &, const Result<DataSummary> &r) {
        if (r) {
            m_views.data->setCalibration(*r);
            m_calibClasses = ClassCheckInput{r->source, r->classNames, r->labelled, 0, {}};
            updateDataWarnings();
        } else {
            m_views.data->setCalibrationMessage(tr("No usable calibration data."));
            Q_EMIT errorOccurred(tr("Calibration data"), r.error().message);
        }
        Q_EMIT calibrationLoaded(bool(r));
    });
    connect(m_state, &WorkbenchState::evaluationLoaded, this, [this](const QString &source, const Result<DataSummary> &r) {
        if (r) {
            m_views.data->setEvaluation(source, r->count);
            m_evalClasses = ClassCheckInput{r->source, r->classNames, r->labelled, 0, {}};
            updateDataWarnings();
        } else {
            m_views.data->setEvaluation(source, 0, r.error().message);
            Q_EMIT errorOccurred(tr("Evaluation data"), r.error().message);
        }
    });
}

void LoadFlow::openModel(const QString &path)
{
    m_views.model->setMessage(tr("Loading %1…").arg(path));
    m_state->openModel(path);
}

void LoadFlow::openCalibration(const QString &source)
{
    m_views.data->setCalibrationMessage(tr("Reading %1…").arg(source));
    m_state->openCalibration(source);
}

void LoadFlow::openEvaluation(const QString &source)
{
    m_views.data->setEvaluation(source, 0, tr("reading…"));
    m_state->openEvaluation(source);
}

void LoadFlow::onModelLoaded(const Result<ModelSummary> &r)
{
    if (r) {
        m_modelSummary = *r;
        m_views.model->setSummary(*r);
        keepLayerBitsOf(*r);
        updateDataWarnings();
    } else {
        showPreviousModel(tr("The model could not be loaded."));
        Q_EMIT errorOccurred(tr("Model not opened"), r.error().message);
    }
    Q_EMIT modelLoaded(bool(r));
}

void LoadFlow::showPreviousModel(const QString &message)
{
    if (m_modelSummary && m_state->modelReady())
        m_views.model->setSummary(*m_modelSummary);  // the previous model is still open
    else
        m_views.model->setMessage(message);
}

void LoadFlow::askForCard(const QString &path)
{
    // The file is read (sandboxed, on the pool) before its card is asked for:
    // a file that is no model is refused with its own error, and no card is written.
    runAsync<Result<std::vector<int64_t>>>(this, [path] { return checkModelFile(path); }, [this, path](const Result<std::vector<int64_t>> &shape) {
        if (!shape) {
            showPreviousModel(tr("The model could not be loaded."));
            Q_EMIT errorOccurred(tr("Model not opened"), shape.error().message);
            return;
        }
        auto *dialog = new CardDialog(path, *shape, m_state->calibSource(), m_views.window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog, path] { m_state->openModel(path, dialog->cardPath()); });
        connect(dialog, &QDialog::rejected, this, [this] { showPreviousModel(tr("No model open: it needs a model card.")); });
        dialog->open();
    });
}

// Per-layer bits belong to the model they were chosen for: after a model
// change only the layers the new model has keep theirs, and the user is told.
void LoadFlow::keepLayerBitsOf(const ModelSummary &model)
{
    const QString text = m_views.setup->spec().value(QLatin1String("layer_bits")).toString();
    auto bits = quant::parseLayerBits(text);
    if (text.isEmpty() || !bits)
        return;
    QSet<QString> layers;
    for (const UnitSummary &u : model.units)
        for (const LayerSummary &l : u.layers)
            layers.insert(l.name);
    QStringList dropped;
    for (auto it = bits->begin(); it != bits->end();)
        if (layers.contains(it->first)) {
            ++it;
        } else {
            dropped << it->first;
            it = bits->erase(it);
        }
    if (dropped.isEmpty())
        return;
    m_views.setup->setSpec(QJsonObject{{QStringLiteral("layer_bits"), quant::formatLayerBits(*bits)}});
    const QString message = bits->empty()
                                ? tr("Per-layer bits cleared: %1 has none of the layers they were chosen for").arg(QFileInfo(model.path).fileName())
                                : tr("Per-layer bits kept for %1 layer(s) of %2; dropped for %3 it does not have: %4")
                                      .arg(bits->size()).arg(QFileInfo(model.path).fileName()).arg(dropped.size()).arg(dropped.join(QStringLiteral(", ")));
    m_views.live->onLog(message);
    Q_EMIT statusMessage(message, 15000);
}

// The data against the open model: labels that cannot be its outputs are
// said in red in the data panel (core's check, the one the run plan prints).
void LoadFlow::updateDataWarnings()
{
    QStringList warnings;
    if (m_modelSummary)
        for (std::optional<ClassCheckInput> in : {m_calibClasses, m_evalClasses})
            if (in) {
                in->modelOutputs = m_modelSummary->classes;
                in->cardClasses = m_modelSummary->classNames;
                for (const QString &w : classMismatchWarnings(*in))
                    if (!warnings.contains(w))
                        warnings << w;
            }
    m_views.data->setWarnings(warnings);
}

}  // namespace metaaug::ui
